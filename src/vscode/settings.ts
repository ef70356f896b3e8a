// Reading streamLiner.* settings and deciding what a change requires. Pure: no runtime vscode import, so the
// decisions are unit-tested (test/unit/settings.test.ts).
import type { FeedName } from '../core/types';
import type { GroupMode, StoreOptions } from '../core/model';

export const SECTION = 'streamLiner';
const ALL_FEEDS: readonly FeedName[] = ['calls', 'queues', 'agents'];
export const DEFAULT_URL = 'wss://statistics-webhook.telavox.se';

export interface StreamLinerSettings {
  url: string;
  feeds: FeedName[];
  perMessageDeflate: boolean;
  groupBy: GroupMode;
  autoConnect: boolean;
  endedKeepMinutes: number;
  endedMax: number;
  serviceLevelSeconds: number;
  maxActiveHours: number;
  /** Memory bounds (streamLiner.limits.*). */
  maxActiveCalls: number;
  callMegabytes: number;
  storeMegabytes: number;
  alertWaitSeconds: number;
  alertNotify: boolean;
  demoStartOnOpen: boolean;
}

/** What vscode.WorkspaceConfiguration offers for the `streamLiner` section. */
export interface ConfigReader {
  get<T>(key: string): T | undefined;
}

function num(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** Reads and sanitises the settings: a hand-edited bad value falls back to the default instead of breaking. */
export function readSettings(config: ConfigReader): StreamLinerSettings {
  const url = config.get<unknown>('url');
  const rawFeeds = config.get<unknown>('feeds');
  let feeds = Array.isArray(rawFeeds)
    ? ALL_FEEDS.filter((f) => rawFeeds.includes(f))
    : [...ALL_FEEDS];
  if (feeds.length === 0) feeds = [...ALL_FEEDS];
  return {
    url: typeof url === 'string' && url.trim() ? url.trim() : DEFAULT_URL,
    feeds,
    perMessageDeflate: bool(config.get('perMessageDeflate'), false),
    groupBy: config.get('groupBy') === 'agent' ? 'agent' : 'queue',
    autoConnect: bool(config.get('autoConnect'), false),
    endedKeepMinutes: num(config.get('endedCalls.keepMinutes'), 15, 0, 1440),
    endedMax: Math.round(num(config.get('endedCalls.max'), 500, 0, 10000)),
    serviceLevelSeconds: num(config.get('serviceLevelSeconds'), 20, 1, 3600),
    maxActiveHours: num(config.get('maxActiveHours'), 4, 0.1, 72),
    maxActiveCalls: Math.round(num(config.get('limits.maxActiveCalls'), 20_000, 100, 1_000_000)),
    callMegabytes: Math.round(num(config.get('limits.callMegabytes'), 2, 1, 64)),
    storeMegabytes: Math.round(num(config.get('limits.storeMegabytes'), 256, 16, 4096)),
    alertWaitSeconds: num(config.get('alerts.waitSeconds'), 60, 0, 3600),
    alertNotify: bool(config.get('alerts.notify'), true),
    demoStartOnOpen: bool(config.get('demo.startOnOpen'), false),
  };
}

type SettingsStoreOptions = 'endedKeepMs' | 'endedMax' | 'maxActiveAgeMs' | 'serviceLevelSeconds' | 'maxActiveCalls' | 'callBytes' | 'storeBytes';

const MB = 1024 * 1024;

export function storeOptionsFrom(s: StreamLinerSettings): Required<Pick<StoreOptions, SettingsStoreOptions>> {
  return {
    endedKeepMs: s.endedKeepMinutes * 60_000,
    endedMax: s.endedMax,
    maxActiveAgeMs: s.maxActiveHours * 3_600_000,
    serviceLevelSeconds: s.serviceLevelSeconds,
    maxActiveCalls: s.maxActiveCalls,
    callBytes: s.callMegabytes * MB,
    storeBytes: s.storeMegabytes * MB,
  };
}

export interface SettingsChangeDecision {
  /** The live connection must be closed and opened again (url, feeds, perMessageDeflate). */
  restartConnection: boolean;
  /** Store options changed: update in place. */
  updateStore: boolean;
  /** Alert threshold / notify changed: update in place. */
  updateAlerts: boolean;
  /** Grouping changed: tell the tree. */
  updateGroupBy: boolean;
}

function sameFeeds(a: readonly FeedName[], b: readonly FeedName[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

/**
 * What a settings change requires. `connected` says whether a real (non-demo) connection is live: only then a
 * connection setting forces a restart. Demo mode ignores url/feeds/perMessageDeflate (it has its own simulator).
 */
export function decideSettingsChange(prev: StreamLinerSettings, next: StreamLinerSettings, connected: boolean): SettingsChangeDecision {
  const connectionChanged = prev.url !== next.url || !sameFeeds(prev.feeds, next.feeds) || prev.perMessageDeflate !== next.perMessageDeflate;
  return {
    restartConnection: connected && connectionChanged,
    updateStore:
      prev.endedKeepMinutes !== next.endedKeepMinutes || prev.endedMax !== next.endedMax ||
      prev.serviceLevelSeconds !== next.serviceLevelSeconds || prev.maxActiveHours !== next.maxActiveHours ||
      prev.maxActiveCalls !== next.maxActiveCalls || prev.callMegabytes !== next.callMegabytes || prev.storeMegabytes !== next.storeMegabytes,
    updateAlerts: prev.alertWaitSeconds !== next.alertWaitSeconds || prev.alertNotify !== next.alertNotify,
    updateGroupBy: prev.groupBy !== next.groupBy,
  };
}
