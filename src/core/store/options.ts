// The store's settings: defaults, and the cleaning of what a caller gives (finite, not negative).
import { LIMIT_DEFAULTS } from '../limits';
import type { StoreOptions } from '../model';

export type Options = Required<Omit<StoreOptions, 'now'>>;

export const STORE_DEFAULTS: Options = {
  timelineCap: 500,
  endedKeepMs: 15 * 60_000,
  endedMax: 500,
  maxActiveAgeMs: 4 * 3_600_000,
  serviceLevelSeconds: 20,
  endGraceMs: 5_000,
  todayMax: 50_000,
  ...LIMIT_DEFAULTS,
};

export function cleanOptions(options: Partial<StoreOptions>): Partial<Options> {
  const out: Partial<Options> = {};
  for (const key of Object.keys(STORE_DEFAULTS) as (keyof Options)[]) {
    const v = options[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  return out;
}
