// Loads the built-in simulator from its own bundle, dist/simulator.js, at the moment a demo starts: the extension
// bundle does not contain it, so activation never parses it. Only the shape the demo uses is declared here.
import { join } from 'node:path';

export interface DemoSimulatorOptions {
  token: string;
  host: string;
  port: number;
  log?: (line: string) => void;
}

/** What the demo needs of a running simulator. */
export interface DemoSimulator {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The exports of dist/simulator.js (src/simulator/bundle.ts). */
export interface SimulatorModule {
  SimulatorServer: new (options: DemoSimulatorOptions) => DemoSimulator;
}

/** The simulator bundle's file: next to dist/extension.js, whose folder is this code's __dirname once bundled. */
export const SIMULATOR_BUNDLE = join(__dirname, 'simulator.js');

/** Requires dist/simulator.js (Node caches it after the first demo). */
export function loadSimulator(): SimulatorModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(SIMULATOR_BUNDLE) as SimulatorModule;
}
