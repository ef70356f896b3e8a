// Seeded call journeys for the simulator. A journey is first planned as a timeline (src/simulator/planner.ts),
// then rendered at each of its four moments (call starts, enters a queue, an agent answers, call ends) into the
// full current document of every entity on all three feeds (src/simulator/render.ts). Rendering from one plan
// is what keeps the calls, queues and agents documents consistent.
import type { EpochMs, FeedName } from '../core/types';
import type { SimJourney } from './journeyPlan';
import { Planner } from './planner';
import { Rng } from './random';
import { renderJourney } from './render';
import { buildRoster, type Roster } from './roster';

export type { SimEvent, SimJourney } from './journeyPlan';
export interface GeneratorOptions { seed: number; queues?: number; agents?: number }

/** Generates journeys one after the other from a seed; the same seed and start times give the same journeys. */
export class JourneyGenerator {
  private readonly rng: Rng;
  private readonly roster: Roster;

  constructor(options: GeneratorOptions) {
    this.rng = new Rng(options.seed);
    this.roster = buildRoster(options.seed, options.agents, options.queues);
  }

  next(startAt: EpochMs): SimJourney {
    const plan = new Planner(this.rng, this.roster, startAt).plan;
    return renderJourney(plan, this.roster);
  }
}

export interface SimFrame { feed: FeedName; at: EpochMs; data: string }

/**
 * N journeys from one seed, started a few seconds apart so they overlap, as one time-ordered list of
 * pre-serialised frames (for benchmarks and store tests). Frames of one moment keep their order.
 */
export function generateFrames(seed: number, count: number, startAt: EpochMs, options: Omit<GeneratorOptions, 'seed'> & { meanGapMs?: number } = {}): SimFrame[] {
  const generator = new JourneyGenerator({ ...options, seed });
  const gaps = new Rng((seed ^ 0x9e3779b9) >>> 0);
  const all: Array<SimFrame & { order: number }> = [];
  let at = startAt;
  let order = 0;
  for (let i = 0; i < count; i++) {
    const journey = generator.next(Math.round(at));
    for (const e of journey.events) all.push({ feed: e.feed, at: e.at, data: JSON.stringify(e.doc), order: order++ });
    at += gaps.exponential(options.meanGapMs ?? 4000);
  }
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  return all.map(({ feed, at: when, data }) => ({ feed, at: when, data }));
}
