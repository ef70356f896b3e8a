// The queue visits of an ended call, answered or abandoned and how long each waited, for the day's per-queue figures.
import type { DocFacts } from '../facts';
import type { AgentRef, EpochMs } from '../types';
import { num, obj, str } from '../readers';
import { ABANDON_REASON, refId } from './refs';

/**
 * What the day's per-queue figures read of an ended call: a few facts per visit, offer and calls document (the store
 * keeps documents as bytes only).
 */
export interface VisitStatsInput {
  visits: Iterable<VisitFacts>;
  offers: Iterable<OfferFacts>;
  call?: CallFacts;
}

export interface VisitFacts {
  readonly queueId: string;
  readonly queueName: string;
  readonly timestart?: EpochMs;
  /** The queue object of the visit's document (id, name, timestart, fail_reason), if it has one. */
  readonly queue: unknown;
  /** The document's time.end. */
  readonly leftAt?: EpochMs;
  /** When an agent answered in the visit, per the document's agent_first / agent_last (visitAnswerIn). */
  readonly answerAt?: EpochMs;
}

export interface OfferFacts {
  /** The queue object of the offer's document, if it has one. */
  readonly queue: unknown;
  readonly answeredAt?: EpochMs;
}

export type CallFacts = Pick<DocFacts, 'queue_first' | 'queue_last' | 'agent_first' | 'agent_last' | 'terminated_call_reason'>;

/** One queue visit of an ended call, for the day's per-queue figures. */
export interface VisitStat {
  id: string;
  name: string;
  answered: boolean;
  abandoned: boolean;
  /** Entry to answer (answered) or to leaving (abandoned), ms. */
  waitMs?: number;
}

interface VisitDraft {
  id: string; name: string; timestart?: number; failReason?: string; answeredAt?: number; leftAt?: number;
}

// visitStats' helpers are module functions, so no closure is made per ended call.

/**
 * The draft for the queue object `ref` names (one per queue id and start time), created on first sight. A call has
 * a few visits: a scan of them costs less than a Map keyed by a made-up "id@timestart" string.
 */
function visitDraft(drafts: VisitDraft[], ref: unknown): VisitDraft | undefined {
  const r = obj<{ id?: unknown; name?: unknown; timestart?: unknown; fail_reason?: unknown }>(ref);
  const id = refId(r);
  if (id === undefined) return undefined;
  return draftFor(drafts, id, str(r!.name) ?? id, num(r!.timestart), str(r!.fail_reason));
}

/** The draft for this queue id and start time, created on first sight (with every field, so one shape for all). */
function draftFor(drafts: VisitDraft[], id: string, name: string, timestart: number | undefined, fail: string | undefined): VisitDraft {
  let d: VisitDraft | undefined;
  for (let i = 0; i < drafts.length; i++) {
    if (drafts[i].id === id && drafts[i].timestart === timestart) {
      d = drafts[i];
      break;
    }
  }
  if (!d) drafts.push((d = { id, name, timestart, failReason: undefined, answeredAt: undefined, leftAt: undefined }));
  if (fail) d.failReason = fail;
  return d;
}

/** Records an answer at `at` in the visit, if it came after the visit began; the earliest answer wins. */
function answerIn(d: VisitDraft | undefined, at: number | undefined): void {
  if (!d || at === undefined || (d.timestart !== undefined && at < d.timestart)) return;
  if (d.answeredAt === undefined || at < d.answeredAt) d.answeredAt = at;
}

/** A calls-feed agent's answer counts in the latest visit that started before it, if that is queue_first/last. */
function answerFollowed(sorted: readonly VisitDraft[], first: VisitDraft | undefined, last: VisitDraft | undefined, ref: unknown): void {
  const at = num(obj<AgentRef>(ref)?.answered);
  if (at === undefined) return;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const d = sorted[i];
    if (d.timestart === undefined || d.timestart > at) continue;
    if (d === first || d === last) answerIn(d, at);
    return;
  }
}

export const byTimestart = (a: { timestart?: number }, b: { timestart?: number }): number => (a.timestart ?? 0) - (b.timestart ?? 0);

/**
 * The queue visits of an ended call from whatever feeds were on: queues-feed visits, the calls feed's
 * queue_first/queue_last, and the queue named by agent offers. A visit is answered when an agent answered
 * after it started (and before the next visit); abandoned when it left with queue_leave_abandon.
 */
export function visitStats(input: VisitStatsInput, endedAt: EpochMs): VisitStat[] {
  const drafts: VisitDraft[] = [];
  for (const v of input.visits) {
    // A visit's own queue object, else its id and name (never empty: see the store's Visit).
    const d = v.queue !== undefined ? visitDraft(drafts, v.queue) : draftFor(drafts, v.queueId, v.queueName, num(v.timestart), undefined);
    answerIn(d, v.answerAt);
    if (d) d.leftAt = v.leftAt ?? d.leftAt;
  }
  const doc = input.call;
  const first = visitDraft(drafts, doc?.queue_first);
  const last = visitDraft(drafts, doc?.queue_last);
  for (const o of input.offers) answerIn(visitDraft(drafts, o.queue), o.answeredAt);
  const sorted = drafts.sort(byTimestart);
  // calls feed only: agent_first/agent_last answers fall in the visit they follow (the latest that started before).
  answerFollowed(sorted, first, last, doc?.agent_first);
  answerFollowed(sorted, first, last, doc?.agent_last);
  const terminated = str(doc?.terminated_call_reason);
  return sorted.map((d, i) => {
    const next = sorted[i + 1]?.timestart;
    const answered = d.answeredAt !== undefined;
    const abandoned = !answered && (d.failReason === ABANDON_REASON
      || (d.failReason === undefined && i === sorted.length - 1 && terminated === ABANDON_REASON));
    let waitMs: number | undefined;
    if (d.timestart !== undefined) {
      if (answered) waitMs = d.answeredAt! - d.timestart;
      else if (abandoned) waitMs = (d.leftAt ?? next ?? endedAt) - d.timestart;
      if (waitMs !== undefined) waitMs = Math.max(0, waitMs);
    }
    return { id: d.id, name: d.name, answered, abandoned, waitMs };
  });
}
