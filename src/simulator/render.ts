// Renders a planned journey at each of its moments (call starts, enters a queue, an agent answers, call ends)
// into the full current document of every entity on all three feeds, as the server sends them.
import type {
  AgentRef, AgentsDocument, CallsDocument, IvrRef, OnHookedCalls, QueueRef, QueuesDocument,
} from '../core/types';
import type { Offer, Plan, SimEvent, SimJourney, TransferPlan } from './journeyPlan';
import type { Roster } from './roster';

/** The calls and queues feeds send numeric ids on the wire; the decoder turns them into strings. */
function wireId(id: number): string {
  return id as unknown as string;
}

function sec(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

function ringMs(o: Offer, t: number): number {
  return Math.max(0, Math.min(o.answeredAt ?? o.end, t) - o.start);
}

function isAnswered(o: Offer, t: number): boolean {
  return o.answeredAt !== undefined && o.answeredAt <= t;
}

function talkMs(o: Offer, t: number): number {
  return isAnswered(o, t) ? Math.max(0, Math.min(o.end, t) - o.answeredAt!) : 0;
}

function holdMs(o: Offer, t: number): number {
  return o.holds.reduce((sum, h) => sum + Math.max(0, Math.min(h.to, t) - h.from), 0);
}

function sum<T>(items: readonly T[], f: (x: T) => number): number {
  return items.reduce((acc, x) => acc + f(x), 0);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** Offered / answered / not-answered lists over a set of offers (names are unique, answered ones leave the no-answer list). */
function agentLists(offers: readonly Offer[], t: number): { all: string[]; answer: string[]; noAnswer: string[] } {
  const answer = unique(offers.filter((o) => isAnswered(o, t)).sort((a, b) => a.answeredAt! - b.answeredAt!).map((o) => o.agent.name));
  const noAnswer = unique(offers.filter((o) => !isAnswered(o, t) && o.end <= t).map((o) => o.agent.name))
    .filter((n) => !answer.includes(n));
  return { all: unique(offers.map((o) => o.agent.name)), answer, noAnswer };
}

/** First/last agent: the answering ones when someone answered, else the offered ones. */
function firstLast(offers: readonly Offer[], t: number): [Offer, Offer] | undefined {
  const answered = offers.filter((o) => isAnswered(o, t)).sort((a, b) => a.answeredAt! - b.answeredAt!);
  const list = answered.length > 0 ? answered : offers;
  return list.length > 0 ? [list[0], list[list.length - 1]] : undefined;
}

/** Queue time of a visit: waiting in it minus the time some agent was ringing. */
function queueMs(p: Plan, idx: number, t: number): number {
  const v = p.visits[idx];
  const until = Math.min(v.waitEnd, t);
  const rings = p.offers
    .filter((o) => o.visit === idx && o.start < until)
    .map((o) => ({ from: o.start, to: Math.min(o.answeredAt ?? o.end, until) }))
    .sort((a, b) => a.from - b.from);
  let ringing = 0;
  let reach = v.start;
  for (const r of rings) {
    const from = Math.max(r.from, reach);
    if (r.to > from) {
      ringing += r.to - from;
      reach = r.to;
    }
  }
  return Math.max(0, until - v.start - ringing);
}

/** Most devices ringing at the same moment up to t. */
function simultaneousDevices(offers: readonly Offer[], t: number): number {
  let best = 0;
  for (const at of offers.map((o) => o.start)) {
    if (at > t) continue;
    const ringing = offers.filter((o) => o.start <= at && (at < (o.answeredAt ?? o.end) || o.start === at));
    best = Math.max(best, sum(ringing, (o) => o.agent.devices));
  }
  return best;
}

function visibleOffers(p: Plan, t: number): Offer[] {
  return p.offers.filter((o) => o.visibleFrom <= t).sort((a, b) => a.start - b.start);
}

function onHookedAt(p: Plan, t: number, visit?: number): Required<OnHookedCalls> {
  const counts = { no_wait_request: 0, answer_wait_request: 0, customer_no_answer: 0 };
  for (const e of p.onHooked) {
    if (e.at <= t && (visit === undefined || e.visit === visit)) counts[e.field] += 1;
  }
  return counts;
}

function transfersAt(p: Plan, t: number): TransferPlan[] {
  return p.transfers.filter((x) => x.at <= t);
}

function lastIvrBefore(p: Plan, t: number): IvrRef | undefined {
  const ivr = p.ivrs.filter((i) => i.at <= t).at(-1);
  return ivr ? { id: wireId(ivr.def.id), name: ivr.def.name, phone: ivr.def.phone } : undefined;
}

function queueRef(p: Plan, idx: number, t: number, withFail: boolean): QueueRef {
  const v = p.visits[idx];
  const ref: QueueRef = {
    id: wireId(v.queue.id), name: v.queue.name, phone: v.queue.phone, strategy: v.queue.strategy, timestart: v.start,
  };
  if (withFail && v.failReason && v.end <= t) ref.fail_reason = v.failReason;
  return ref;
}

function common(p: Plan, roster: Roster, t: number, start: number, end: number) {
  return {
    id_call: p.id,
    answered: (p.offers.some((o) => o.visibleFrom <= t && isAnswered(o, t)) ? 1 : 0) as 0 | 1,
    active: (end <= t ? 0 : 1) as 0 | 1,
    recorded: p.recorded,
    call_direction: p.direction,
    time: end <= t ? { start, end } : { start },
    customer_target: { number: p.number },
    customer_telavox: { ...roster.account },
  };
}

function callsDoc(p: Plan, roster: Roster, t: number): CallsDocument {
  const offers = visibleOffers(p, t);
  const visitIdx = p.visits.map((_, i) => i).filter((i) => p.visits[i].start <= t);
  const lists = agentLists(offers, t);
  const rings = offers.map((o) => sec(ringMs(o, t)));
  const talked = offers.filter((o) => isAnswered(o, t)).sort((a, b) => a.answeredAt! - b.answeredAt!).map((o) => sec(talkMs(o, t)));
  const queued = visitIdx.map((i) => sec(queueMs(p, i, t)));
  const ivrs = p.ivrs.filter((i) => i.at <= t);
  const transfers = transfersAt(p, t);
  const base = common(p, roster, t, p.start, p.end);
  const doc: CallsDocument = {
    ...base,
    internal: p.internal,
    offered_and_answered: offers.filter((o) => isAnswered(o, t)).length,
    offered_and_not_answered: offers.filter((o) => !isAnswered(o, t) && o.end <= t && ringMs(o, t) > 1000).length,
    simultaneous_device_calls: simultaneousDevices(offers, t),
    voicemail: p.voicemailAt !== undefined && p.voicemailAt <= t ? 1 : 0,
    transfers: transfers.length,
    on_hooked_calls: onHookedAt(p, t),
    agent_list: lists.all,
    agent_list_answer: lists.answer,
    agent_list_no_answer: lists.noAnswer,
    queue_list: visitIdx.map((i) => p.visits[i].queue.name),
    ivr_list: ivrs.map((i) => i.def.name),
    duration: {
      queue: { first: queued[0] ?? 0, last: queued.at(-1) ?? 0, total: sum(queued, (x) => x) },
      ring: { first: rings[0] ?? 0, last: rings.at(-1) ?? 0, total: sum(rings, (x) => x) },
      talk: { first: talked[0] ?? 0, last: talked.at(-1) ?? 0, total: sum(talked, (x) => x) },
      total: sec(Math.min(p.end, t) - p.start),
      wait_time: sum(rings, (x) => x) + sum(queued, (x) => x),
      hold: sum(offers, (o) => sec(holdMs(o, t))),
    },
    redirected: { ...p.redirected },
  };
  if (base.active === 0) doc.terminated_call_reason = p.terminated;
  if (visitIdx.length > 0) {
    doc.duration!.before_queue = sec(p.visits[0].start - p.start);
    doc.queue_first = queueRef(p, visitIdx[0], t, true);
    doc.queue_last = queueRef(p, visitIdx[visitIdx.length - 1], t, true);
  }
  if (p.menuDigit && p.menuDigit.at <= t) {
    doc.menu_digit = { dialed_number: p.menuDigit.digit, destination: p.menuDigit.destination, type: p.menuDigit.type };
  }
  if (ivrs.length > 0) {
    const ref = (i: (typeof ivrs)[number]): IvrRef => ({ id: wireId(i.def.id), name: i.def.name, phone: i.def.phone, timestamp: i.at });
    doc.ivr_first = ref(ivrs[0]);
    doc.ivr_last = ref(ivrs[ivrs.length - 1]);
  }
  const fl = firstLast(offers, t);
  if (fl) {
    const ref = (o: Offer): AgentRef => {
      const r: AgentRef = { id: wireId(o.agent.id), name: o.agent.name, phone: o.agent.phone };
      if (isAnswered(o, t)) r.answered = o.answeredAt;
      r.to_transfer = o.toTransferAt !== undefined && o.toTransferAt <= t ? 1 : 0;
      r.from_transfer = o.fromTransfer;
      return r;
    };
    doc.agent_first = ref(fl[0]);
    doc.agent_last = ref(fl[1]);
  }
  if (transfers.length > 0) {
    const info = (x: TransferPlan) => ({ type: x.type, answered: (x.answeredAt !== undefined && x.answeredAt <= t ? 1 : 0) as 0 | 1 });
    doc.transfer_first = info(transfers[0]);
    doc.transfer_last = info(transfers[transfers.length - 1]);
  }
  return doc;
}

function queuesDoc(p: Plan, roster: Roster, idx: number, at: number): QueuesDocument {
  const v = p.visits[idx];
  const t = Math.min(at, v.end); // an ended visit's document is final: freeze it at its end
  const offers = visibleOffers(p, t).filter((o) => o.visit === idx);
  const lists = agentLists(offers, t);
  const doc: QueuesDocument = {
    ...common(p, roster, t, v.start, v.end),
    voicemail: p.voicemailAt !== undefined && p.voicemailAt <= t ? 1 : 0,
    transfer: transfersAt(p, t).length > 0 ? 1 : 0,
    on_hooked_calls: onHookedAt(p, t, idx),
    agent_list: lists.all,
    agent_list_answer: lists.answer,
    agent_list_no_answer: lists.noAnswer,
    queue: queueRef(p, idx, t, true),
    duration: {
      total: sec(t - v.start),
      queue: sec(queueMs(p, idx, t)),
      ring: sum(offers, (o) => sec(ringMs(o, t))),
      talk: sum(offers, (o) => sec(talkMs(o, t))),
      hold: sum(offers, (o) => sec(holdMs(o, t))),
    },
  };
  const fl = firstLast(offers, t);
  if (fl) {
    // The queues feed splits the surname from the name.
    const ref = (o: Offer): AgentRef => {
      const r: AgentRef = { id: wireId(o.agent.id), name: o.agent.first, surname: o.agent.last, phone: o.agent.phone };
      if (isAnswered(o, t)) r.answered = o.answeredAt;
      return r;
    };
    doc.agent_first = ref(fl[0]);
    doc.agent_last = ref(fl[1]);
  }
  const ivr = lastIvrBefore(p, v.start);
  if (ivr) doc.ivr = ivr;
  return doc;
}

function agentsDoc(p: Plan, roster: Roster, o: Offer, at: number): AgentsDocument {
  const t = Math.min(at, o.end);
  const base = common(p, roster, t, o.start, o.end);
  const doc: AgentsDocument = {
    ...base,
    time: { ...base.time, ...(isAnswered(o, t) ? { answered: o.answeredAt } : {}) },
    transfer: transfersAt(p, t).length > 0 ? 1 : 0,
    on_hooked_calls: o.onHook,
    internal: p.internal,
    simultaneous_device_calls: o.agent.devices,
    agent: { id: String(o.agent.id), name: o.agent.name, phone: o.agent.phone, time_zone: o.agent.timeZone },
    duration: { total: sec(t - o.start), ring: sec(ringMs(o, t)), talk: sec(talkMs(o, t)), hold: sec(holdMs(o, t)) },
  };
  if (base.active === 0) doc.agent_end_reason = o.endReason;
  const ivr = lastIvrBefore(p, o.start);
  if (ivr) doc.ivr = ivr;
  if (o.queueOf !== undefined) doc.queue = queueRef(p, o.queueOf, t, false);
  return doc;
}

export function renderJourney(p: Plan, roster: Roster): SimJourney {
  const moments = [p.start, ...p.visits.map((v) => v.start), ...p.offers.flatMap((o) => (o.answeredAt === undefined ? [] : [o.answeredAt])), p.end];
  const times = [...new Set(moments)].filter((t) => t <= p.end).sort((a, b) => a - b);
  const events: SimEvent[] = [];
  for (const t of times) {
    events.push({ at: t, feed: 'calls', doc: callsDoc(p, roster, t) });
    p.visits.forEach((v, i) => {
      if (v.start <= t) events.push({ at: t, feed: 'queues', doc: queuesDoc(p, roster, i, t) });
    });
    for (const o of visibleOffers(p, t)) events.push({ at: t, feed: 'agents', doc: agentsDoc(p, roster, o, t) });
  }
  return { idCall: p.id, startAt: p.start, endAt: p.end, events, summary: summarize(p) };
}

function summarize(p: Plan): string {
  const parts: string[] = [];
  if (p.ivrs.length > 0) parts.push(`IVR ${p.ivrs.map((i) => i.def.name).join(', ')}`);
  for (const v of p.visits) parts.push(`${v.queue.name} (${v.queue.strategy})`);
  const answered = p.offers.filter((o) => o.answeredAt !== undefined).map((o) => o.agent.name);
  if (answered.length > 0) parts.push(`answered by ${unique(answered).join(' > ')}`);
  if (p.transfers.length > 0) parts.push(`${p.transfers.length} transfer(s)`);
  const outcome = answered.length > 0 ? 'answered'
    : p.voicemailAt !== undefined ? 'voicemail'
      : p.terminated === 'queue_leave_abandon' ? 'abandoned' : p.terminated;
  const when = new Date(p.start).toISOString().slice(11, 19);
  const kind = p.internal ? 'internal' : p.direction;
  return `${when} ${p.id.slice(0, 8)} ${kind} ${p.number}${parts.length ? ` | ${parts.join(' | ')}` : ''} -> ${outcome}, ${sec(p.end - p.start)}s [${p.terminated}]`;
}
