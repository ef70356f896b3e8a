// Reading streamLiner.* settings and deciding what a change requires. Pure: no runtime vscode import, so the
// decisions are unit-tested (test/unit/settings.test.ts).
import type { FeedName } from '../core/types';
import type { GroupMode, StoreOptions } from '../core/model';
import { originOf, validateBaseUrl } from '../feed/url';

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
  inspect<T>(key: string): { globalValue?: T } | undefined;
}

/** A hand-edited value that could not be used as written: told to the user once, with a way to the setting. */
export interface SettingProblem {
  /** The full setting id, e.g. `streamLiner.feeds`. */
  setting: string;
  /** The bad value as JSON, so each distinct value is told once. */
  value: string;
  /** What was wrong and what is used instead. Never echoes a text value: it may come from a workspace. */
  message: string;
}

type FieldOf<V> = { [K in keyof StreamLinerSettings]: StreamLinerSettings[K] extends V ? K : never }[keyof StreamLinerSettings];

interface Spec<V> {
  key: string;
  field: FieldOf<V>;
  fallback: V;
}

interface NumberSpec extends Spec<number> { min: number; max: number; integer: boolean }

/** Every numeric setting: its range, and whether it counts whole units (package.json says the same). */
export const NUMBER_SETTINGS: readonly NumberSpec[] = [
  { key: 'endedCalls.keepMinutes', field: 'endedKeepMinutes', fallback: 15, min: 0, max: 1440, integer: true },
  { key: 'endedCalls.max', field: 'endedMax', fallback: 500, min: 0, max: 10000, integer: true },
  { key: 'serviceLevelSeconds', field: 'serviceLevelSeconds', fallback: 20, min: 1, max: 3600, integer: true },
  { key: 'maxActiveHours', field: 'maxActiveHours', fallback: 4, min: 0.1, max: 72, integer: false },
  { key: 'limits.maxActiveCalls', field: 'maxActiveCalls', fallback: 20_000, min: 100, max: 1_000_000, integer: true },
  { key: 'limits.callMegabytes', field: 'callMegabytes', fallback: 2, min: 1, max: 64, integer: true },
  { key: 'limits.storeMegabytes', field: 'storeMegabytes', fallback: 256, min: 16, max: 4096, integer: true },
  { key: 'alerts.waitSeconds', field: 'alertWaitSeconds', fallback: 60, min: 0, max: 3600, integer: true },
];

export const BOOLEAN_SETTINGS: readonly Spec<boolean>[] = [
  { key: 'perMessageDeflate', field: 'perMessageDeflate', fallback: false },
  { key: 'autoConnect', field: 'autoConnect', fallback: false },
  { key: 'alerts.notify', field: 'alertNotify', fallback: true },
  { key: 'demo.startOnOpen', field: 'demoStartOnOpen', fallback: false },
];

/** The settings that decide where the token goes: machine-scoped, read from the user's settings only, never a workspace's. */
export const MACHINE_SETTINGS: readonly string[] = ['url', 'autoConnect'];

type Checked<V> = { value: V; problem?: string };

function checkNumber(raw: unknown, spec: NumberSpec): Checked<number> {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return { value: spec.fallback, problem: `is not a number; the default ${spec.fallback} is used.` };
  const clamped = Math.min(spec.max, Math.max(spec.min, raw));
  if (clamped !== raw) return { value: clamped, problem: `(${raw}) is outside ${spec.min} to ${spec.max}; ${clamped} is used.` };
  if (spec.integer && !Number.isInteger(raw)) return { value: Math.round(raw), problem: `(${raw}) must be a whole number; ${Math.round(raw)} is used.` };
  return { value: raw };
}

function checkBoolean(raw: unknown, spec: Spec<boolean>): Checked<boolean> {
  return typeof raw === 'boolean' ? { value: raw } : { value: spec.fallback, problem: `must be true or false; ${spec.fallback} is used.` };
}

function checkFeeds(raw: unknown): Checked<FeedName[]> {
  const all = { value: [...ALL_FEEDS] };
  if (!Array.isArray(raw)) return { ...all, problem: 'must be a list such as ["calls", "queues", "agents"]; all three feeds are used.' };
  if (raw.length === 0) return { ...all, problem: 'is empty; all three feeds are used.' };
  const feeds = ALL_FEEDS.filter((f) => raw.includes(f));
  if (feeds.length === 0) return { ...all, problem: 'names no known feed (calls, queues, agents); all three feeds are used.' };
  if (feeds.length !== raw.length) return { value: feeds, problem: `names something other than calls, queues and agents; only ${feeds.join(', ')} are used.` };
  return { value: feeds };
}

function checkUrl(raw: unknown): Checked<string> {
  if (typeof raw !== 'string') return { value: DEFAULT_URL, problem: `must be a text such as ${DEFAULT_URL}; the default is used.` };
  const url = raw.trim();
  if (!url) return { value: DEFAULT_URL, problem: `is empty; the default ${DEFAULT_URL} is used.` };
  const check = validateBaseUrl(url);
  return check.ok ? { value: url } : { value: url, problem: check.message };
}

function checkGroupBy(raw: unknown): Checked<GroupMode> {
  return raw === 'agent' || raw === 'queue' ? { value: raw } : { value: 'queue', problem: 'must be "queue" or "agent"; "queue" is used.' };
}

/**
 * Reads the settings; a hand-edited bad value falls back to the default (or is clamped) and is reported as a
 * problem. url and autoConnect come only from the user's settings (inspect().globalValue), never from a workspace.
 */
export function checkSettings(config: ConfigReader): { settings: StreamLinerSettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const read = <V>(key: string, check: (raw: unknown) => Checked<V>, fallback: V): V => {
    const raw = MACHINE_SETTINGS.includes(key) ? config.inspect<unknown>(key)?.globalValue : config.get<unknown>(key);
    if (raw === undefined || raw === null) return fallback;
    const checked = check(raw);
    if (checked.problem !== undefined) {
      const setting = `${SECTION}.${key}`;
      const message = checked.problem.startsWith('The ') ? checked.problem : `The setting ${setting} ${checked.problem}`;
      problems.push({ setting, value: JSON.stringify(raw) ?? String(raw), message });
    }
    return checked.value;
  };
  const settings = {
    url: read('url', checkUrl, DEFAULT_URL),
    feeds: read('feeds', checkFeeds, [...ALL_FEEDS]),
    groupBy: read('groupBy', checkGroupBy, 'queue'),
  } as StreamLinerSettings;
  for (const spec of NUMBER_SETTINGS) settings[spec.field] = read(spec.key, (raw) => checkNumber(raw, spec), spec.fallback);
  for (const spec of BOOLEAN_SETTINGS) settings[spec.field] = read(spec.key, (raw) => checkBoolean(raw, spec), spec.fallback);
  return { settings, problems };
}

/** The settings without their problems (see checkSettings). */
export function readSettings(config: ConfigReader): StreamLinerSettings {
  return checkSettings(config).settings;
}

/** Remembers which bad values were already told, so each distinct bad value of a setting is told once. */
export class SettingProblemMemory {
  readonly #told = new Set<string>();

  /** The problems not told before; they count as told from now on. */
  fresh(problems: readonly SettingProblem[]): SettingProblem[] {
    return problems.filter((p) => {
      const key = `${p.setting}\u0000${p.value}`;
      if (this.#told.has(key)) return false;
      this.#told.add(key);
      return true;
    });
  }
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
  /** The live connection must be closed and opened again (path, feeds, perMessageDeflate) on the same origin. */
  restartConnection: boolean;
  /**
   * The url now points to another origin (scheme, host or port): the live connection must stop, since its token
   * belongs to the old origin only; the user connects again, with that origin's token.
   */
  stopConnection: boolean;
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
 * connection setting forces a restart, or a stop when the origin changed. Demo mode ignores url/feeds/perMessageDeflate
 * (it has its own simulator).
 */
export function decideSettingsChange(prev: StreamLinerSettings, next: StreamLinerSettings, connected: boolean): SettingsChangeDecision {
  const connectionChanged = prev.url !== next.url || !sameFeeds(prev.feeds, next.feeds) || prev.perMessageDeflate !== next.perMessageDeflate;
  const originChanged = originOf(prev.url) === undefined || originOf(prev.url) !== originOf(next.url);
  return {
    restartConnection: connected && connectionChanged && !originChanged,
    stopConnection: connected && originChanged,
    updateStore:
      prev.endedKeepMinutes !== next.endedKeepMinutes || prev.endedMax !== next.endedMax ||
      prev.serviceLevelSeconds !== next.serviceLevelSeconds || prev.maxActiveHours !== next.maxActiveHours ||
      prev.maxActiveCalls !== next.maxActiveCalls || prev.callMegabytes !== next.callMegabytes || prev.storeMegabytes !== next.storeMegabytes,
    updateAlerts: prev.alertWaitSeconds !== next.alertWaitSeconds || prev.alertNotify !== next.alertNotify,
    updateGroupBy: prev.groupBy !== next.groupBy,
  };
}
