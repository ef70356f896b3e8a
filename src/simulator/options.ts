// The simulator server's options, counters, fault switches and event shapes (src/simulator/server.ts).
import type { IncomingHttpHeaders } from 'node:http';
import { systemScheduler, type Scheduler } from '../core/clock';
import type { FeedName } from '../core/types';

export type SimulatorFault = 'stall-handshake' | 'ignore-pings' | 'reject-401' | 'reject-403';
export const SIMULATOR_FAULTS: readonly SimulatorFault[] = ['stall-handshake', 'ignore-pings', 'reject-401', 'reject-403'];

/** Timer source, injectable so tests can drive journeys and replay gaps without waiting. */
export type SimulatorClock = Scheduler;

export const realClock: SimulatorClock = systemScheduler;

export interface SimulatorServerOptions {
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = random free port (default). */
  port?: number;
  seed?: number;
  /** New calls per minute (simulated time), default 30. 0 = none. */
  ratePerMinute?: number;
  /** 1 = real time; 10 = ten times faster. */
  timeScale?: number;
  /** Default true: generate journeys continuously. */
  autoplay?: boolean;
  log?: (line: string) => void;
  /** Journeys in flight at most; arrivals beyond it are skipped (default 50). */
  maxConcurrent?: number;
  /** Accept permessage-deflate when a client offers it (default true). */
  perMessageDeflate?: boolean;
  /** Size of the generated organisation. */
  queues?: number;
  agents?: number;
  clock?: SimulatorClock;
}

export interface SimulatorStats {
  upgradeAttempts: number;
  rejected401: number;
  rejected403: number;
  rejected404: number;
  /** Upgrades held unanswered by the stall-handshake fault. */
  stalled: number;
  connections: number;
  framesSent: number;
  pingsReceived: number;
  pongsSent: number;
  journeysStarted: number;
  journeysEnded: number;
  /** Arrivals skipped because maxConcurrent journeys were in flight. */
  journeysSkipped: number;
  replayedFrames: number;
  replayBadLines: number;
}

export interface ConnectionInfo {
  feed: FeedName;
  remoteAddress?: string;
  /** Request headers with Authorization redacted. */
  headers: IncomingHttpHeaders;
}

export interface ReplayResult { sent: number; bad: number }
