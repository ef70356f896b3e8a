// Types for prerequisites.mjs, so the TypeScript UI tests can use the same helpers.
import type { Browser } from 'playwright-core';

export declare const REPO_ROOT: string;
export declare const RESULTS_DIR: string;
export declare const CACHE_DIR: string;
export declare const CODE_SERVER_VERSION: string;
export declare const CODE_SERVER_DIR: string;
export declare const CODE_SERVER_BIN: string;
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export interface RunOptions { log?: string; cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean }
export interface CodeServer { url: string; port: number; pid: number; log: string; stop(): Promise<void> }
export interface CodeServerOptions {
  port?: number; userDataDir: string; extensionsDir: string; folder?: string;
  env?: Record<string, string>; log?: string; timeoutMs?: number; workspaceTrust?: boolean;
}
export declare function onPath(command: string): string | undefined;
export declare function logFile(name: string): string;
export declare function run(command: string, args: string[], options?: RunOptions): Promise<number>;
export declare function ensureSystemPackages(): Promise<void>;
export declare function codeServerInstalled(): boolean;
export declare function ensureCodeServer(): Promise<string>;
export declare function freePort(): Promise<number>;
export declare function portOpen(port: number): Promise<boolean>;
export declare function build(): Promise<number>;
export declare function installBuiltExtension(extensionsDir: string): string;
export declare function startCodeServer(options: CodeServerOptions): Promise<CodeServer>;
export declare function launchChromium(): Promise<Browser>;
export declare function workbenchQuery(folder?: string, payload?: [string, string][]): string;
export declare function isStale(output: string, sources: string[]): boolean;
export declare function ensureBuilt(): Promise<void>;
export declare function writeFileMkdir(path: string, text: string): void;
export declare const QUIET_USER_SETTINGS: Record<string, unknown>;
export interface Profile { userDataDir: string; extensionsDir: string; folder: string }
export declare function prepareProfile(options: {
  root: string; folder?: string; workspaceSettings?: Record<string, unknown>; userSettings?: Record<string, unknown>; fresh?: boolean;
}): Profile;
