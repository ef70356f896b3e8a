// Seeded call journeys for the simulator. A journey is first planned as a timeline (IVR, queue visits,
// agent offers, transfers, callbacks), then rendered at each of the playbook's four moments (call starts,
// enters a queue, an agent answers, call ends) into the full current document of every entity on all
// three feeds. Rendering from one plan is what keeps the calls, queues and agents documents consistent.
import type {
  AgentRef, AgentsDocument, CallsDocument, EpochMs, FeedDocument, FeedName, IvrRef, OnHookedCalls, QueueRef,
  QueuesDocument, Redirected,
} from '../core/types';
import { Rng } from './random';
import { buildRoster, type AgentDef, type IvrDef, type QueueDef, type Roster } from './roster';

export interface SimEvent { at: EpochMs; feed: FeedName; doc: FeedDocument }
export interface SimJourney { idCall: string; startAt: EpochMs; endAt: EpochMs; events: SimEvent[]; summary: string }
export interface GeneratorOptions { seed: number; queues?: number; agents?: number }

interface Interval { from: number; to: number }

interface Visit {
  queue: QueueDef;
  start: number;
  /** When the call left the queue's handling (answered visits: when the answering agent let go). */
  end: number;
  /** When waiting in this queue stopped (first answer or leaving). */
  waitEnd: number;
  failReason?: string;
}

interface Offer {
  agent: AgentDef;
  /** Visit whose lists and durations this offer belongs to. */
  visit?: number;
  /** Visit whose queue the agents document shows (a callback shows its queue without belonging to the visit). */
  queueOf?: number;
  start: number;
  answeredAt?: number;
  end: number;
  holds: Interval[];
  /** First moment the agents feed shows this offer (outgoing calls: only once the customer answers). */
  visibleFrom: number;
  /** When this agent handed the call on (transfer). */
  toTransferAt?: number;
  fromTransfer: 0 | 1;
  onHook: 0 | 1;
  endReason: string;
}

interface TransferPlan { type: 'blind' | 'attended'; at: number; answeredAt?: number }
type OnHookField = keyof Required<OnHookedCalls>;

interface Plan {
  id: string;
  start: number;
  end: number;
  direction: 'incoming' | 'outgoing';
  internal: 0 | 1;
  recorded: 0 | 1;
  number: string;
  ivrs: Array<{ def: IvrDef; at: number }>;
  menuDigit?: { digit: number; destination: string; type: string; at: number };
  visits: Visit[];
  offers: Offer[];
  transfers: TransferPlan[];
  onHooked: Array<{ field: OnHookField; at: number; visit?: number }>;
  voicemailAt?: number;
  terminated: string;
  redirected: Required<Redirected>;
}

const OPEN = Number.POSITIVE_INFINITY;

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
    return render(plan, this.roster);
  }
}

/** Builds one journey's timeline. Times only move forward; open offers/visits are closed at the call's end. */
class Planner {
  readonly plan: Plan;

  constructor(private readonly rng: Rng, private readonly roster: Roster, start: number) {
    this.plan = {
      id: rng.uuid(), start, end: start, direction: 'incoming', internal: 0, recorded: rng.chance(0.3) ? 1 : 0,
      number: this.customerNumber(), ivrs: [], visits: [], offers: [], transfers: [], onHooked: [], terminated: 'hangup',
      redirected: { total: 0, no_reason: 0, no_answer: 0, no_reachable: 0, user_busy: 0, unconditional: 0 },
    };
    const r = rng.next();
    if (r < 0.17) this.outgoing();
    else if (r < 0.24) this.internalCall();
    else this.incoming();
    this.finish();
  }

  private customerNumber(): string {
    return this.rng.chance(0.7) ? `00467${this.rng.pick(['0', '2', '3', '6'])}${this.rng.digits(7)}` : `00468${this.rng.digits(7)}`;
  }

  private outgoing(): void {
    const p = this.plan;
    p.direction = 'outgoing';
    const agent = this.rng.pick(this.roster.agents);
    const dial = this.rng.int(3000, 25000);
    const answered = this.rng.chance(0.7);
    const o = this.offer(agent, p.start, answered ? dial : undefined, undefined);
    if (answered) {
      this.talk(o, false);
    } else {
      this.close(o, p.start + dial, 'no_answer');
      this.end(o.end, this.rng.chance(0.7) ? 'no_answer' : 'busy');
    }
    // Dialling out shows no ringing agent: the offer appears once the customer answers (or at the end).
    o.visibleFrom = o.answeredAt ?? o.end;
  }

  private internalCall(): void {
    const p = this.plan;
    p.internal = 1;
    const caller = this.rng.pick(this.roster.agents);
    p.number = caller.phone;
    const callee = this.pickAgent(this.roster.agents, caller);
    this.directAgent(callee, p.start, false);
  }

  private incoming(): void {
    const p = this.plan;
    let t = p.start;
    if (this.rng.chance(0.65)) {
      t += this.rng.int(300, 1200);
      const first = this.rng.pick(this.roster.ivrs);
      p.ivrs.push({ def: first, at: t });
      t += this.rng.int(3000, 12000);
      if (this.rng.chance(0.25)) {
        const second = this.pick(this.roster.ivrs, first);
        p.ivrs.push({ def: second, at: t });
        t += this.rng.int(3000, 10000);
      }
      if (this.rng.chance(0.06)) {
        this.end(t, this.rng.pick(['ivr_timeout', 'hangup', 'ivr_closed']));
        return;
      }
    }
    const queue = this.rng.pick(this.roster.queues);
    if (this.rng.chance(0.14)) {
      const agent = this.rng.pick(this.roster.agents);
      if (p.ivrs.length > 0) p.menuDigit = { digit: this.rng.int(1, 9), destination: agent.name, type: 'User', at: t };
      // Direct calls to a busy or unreachable agent are redirected to a queue.
      const r = this.rng.next();
      if (r < 0.12) {
        p.redirected[r < 0.08 ? 'user_busy' : 'no_reachable'] += 1;
        this.queue(queue, t + this.rng.int(500, 1500), undefined, true);
      } else {
        // Without a menu the agent's phone rings as the call starts.
        this.directAgent(agent, p.ivrs.length > 0 ? t + this.rng.int(500, 2000) : t, true);
      }
      return;
    }
    if (p.ivrs.length > 0) p.menuDigit = { digit: this.rng.int(1, 4), destination: queue.name, type: 'Queue', at: t };
    if (this.rng.chance(0.06)) p.redirected[this.rng.chance(0.7) ? 'unconditional' : 'no_reason'] += 1;
    this.queue(queue, t + this.rng.int(200, 1000), undefined, true);
  }

  /** A call straight to one agent: answered, voicemail or missed. */
  private directAgent(agent: AgentDef, t: number, mayTransfer: boolean): void {
    const ring = this.rng.int(4000, 20000);
    const answered = this.rng.chance(0.68);
    const o = this.offer(agent, t, answered ? ring : undefined, undefined);
    if (answered) {
      this.talk(o, mayTransfer);
      return;
    }
    this.close(o, t + ring, 'no_answer');
    if (this.rng.chance(0.6)) {
      this.plan.redirected.no_answer += 1;
      this.plan.voicemailAt = o.end;
      this.end(o.end + this.rng.int(8000, 40000), 'redirect_no_answer');
    } else {
      this.end(o.end, 'no_answer');
    }
  }

  /** One queue visit and whatever follows it (talk, transfer, second queue, callback, voicemail, hang-up). */
  private queue(queue: QueueDef, t: number, transfer: TransferPlan | undefined, mayOverflow: boolean): void {
    const p = this.plan;
    const idx = p.visits.push({ queue, start: t, end: OPEN, waitEnd: OPEN }) - 1;
    const visit = p.visits[idx];
    const r = this.rng.next();
    const outcome = r < 0.02 ? 'full' : r < 0.05 ? 'empty' : r < 0.71 ? 'answer' : r < 0.87 ? 'abandon' : r < 0.94 ? 'timeout' : 'digit';
    if (outcome === 'full' || outcome === 'empty') {
      this.leave(visit, t + this.rng.int(1000, 3000), `queue_leave_${outcome}`);
      this.end(visit.end, `queue_leave_${outcome}`);
      return;
    }
    // A free agent is rung at once (the agents feed then shows a ringing offer at the queue-entry moment).
    let cur = this.rng.chance(0.3) ? t : t + this.rng.int(2000, 25000);
    if (cur - t > 15000 && this.rng.chance(0.2)) p.onHooked.push({ field: 'no_wait_request', at: t + 15000, visit: idx });
    const answeredOffer = queue.strategy === 'ringall'
      ? this.ringAll(queue, idx, cur, outcome === 'answer')
      : this.sequential(queue, idx, cur, outcome === 'answer');
    if (answeredOffer) {
      visit.waitEnd = answeredOffer.answeredAt!;
      if (transfer) {
        answeredOffer.fromTransfer = 1;
        transfer.answeredAt = answeredOffer.answeredAt;
      }
      this.talk(answeredOffer, true);
      return;
    }
    cur = Math.max(cur, ...p.offers.filter((o) => o.visit === idx).map((o) => o.end)) + this.rng.int(1000, 6000);
    if (outcome === 'abandon') {
      this.leave(visit, cur, 'queue_leave_abandon');
      this.end(cur, 'queue_leave_abandon');
    } else if (outcome === 'digit') {
      this.leave(visit, cur, 'queue_leave_digit');
      p.onHooked.push({ field: 'answer_wait_request', at: cur, visit: idx });
      this.callback(queue, idx, cur + this.rng.int(5000, 30000));
    } else {
      this.leave(visit, cur, 'queue_leave_timeout');
      const others = this.roster.queues.filter((q) => q !== queue);
      if (mayOverflow && others.length > 0 && this.rng.chance(0.5)) {
        this.queue(this.rng.pick(others), cur, transfer, false);
      } else if (this.rng.chance(0.5)) {
        p.voicemailAt = cur;
        this.end(cur + this.rng.int(10000, 40000), 'queue_leave_timeout');
      } else {
        this.end(cur, 'queue_leave_timeout');
      }
    }
  }

  /** Ring-all: every member rings at once, in rounds. Returns the answering offer, if any. */
  private ringAll(queue: QueueDef, idx: number, t: number, answer: boolean): Offer | undefined {
    const rounds = this.rng.int(1, 2);
    let cur = t;
    for (let round = 1; round <= rounds; round++) {
      const ring = this.rng.int(6000, 15000);
      if (answer && round === rounds) {
        const answerer = this.rng.pick(queue.members);
        const answeredAt = cur + this.rng.int(2000, ring);
        let winner: Offer | undefined;
        for (const m of queue.members) {
          const o = this.offer(m, cur, m === answerer ? answeredAt - cur : undefined, idx);
          if (m === answerer) winner = o;
          else this.close(o, answeredAt, 'answered_elsewhere');
        }
        return winner;
      }
      for (const m of queue.members) this.close(this.offer(m, cur, undefined, idx), cur + ring, 'no_answer');
      cur += ring + this.rng.int(2000, 6000);
    }
    return undefined;
  }

  /** rrmemory and friends: one member at a time; some let it ring, some reject within a second. */
  private sequential(queue: QueueDef, idx: number, t: number, answer: boolean): Offer | undefined {
    let cur = t;
    const misses = answer ? this.rng.int(0, 2) : this.rng.int(0, 3);
    for (let i = 0; i < misses; i++) {
      const agent = this.nextMember(queue);
      const short = this.rng.chance(0.2);
      const ring = short ? this.rng.int(300, 1000) : this.rng.int(4000, 18000);
      this.close(this.offer(agent, cur, undefined, idx), cur + ring, short ? 'rejected' : 'no_answer');
      cur += ring + this.rng.int(1000, 5000);
    }
    return answer ? this.offer(this.nextMember(queue), cur, this.rng.int(1500, 15000), idx) : undefined;
  }

  private nextMember(queue: QueueDef): AgentDef {
    if (queue.strategy === 'rrmemory' || queue.strategy === 'linear') {
      const agent = queue.members[queue.cursor % queue.members.length];
      queue.cursor = (queue.cursor + 1) % queue.members.length;
      return agent;
    }
    return this.rng.pick(queue.members);
  }

  /** The customer asked for a callback: an agent calls back later (on_hooked_calls). */
  private callback(queue: QueueDef, idx: number, t: number): void {
    const agent = this.rng.pick(queue.members);
    const ring = this.rng.int(3000, 15000);
    const answered = this.rng.chance(0.75);
    const o = this.offer(agent, t, answered ? ring : undefined, undefined);
    o.queueOf = idx;
    o.onHook = 1;
    if (answered) {
      this.talk(o, false);
      return;
    }
    this.close(o, t + ring, 'customer_no_answer');
    this.plan.onHooked.push({ field: 'customer_no_answer', at: o.end });
    this.end(o.end, 'queue_ohw_no_answer');
  }

  /** Talk with the answering agent, then hang up or transfer (blind or attended, to an agent or a queue). */
  private talk(o: Offer, mayTransfer: boolean, minTalk = 0): void {
    const p = this.plan;
    const start = o.answeredAt!;
    let talk = Math.max(minTalk + this.rng.int(5000, 20000), this.rng.int(15000, 240000));
    if (this.rng.chance(0.2)) {
      const from = start + this.rng.int(3000, Math.floor(talk / 2));
      const len = this.rng.int(5000, 30000);
      o.holds.push({ from, to: from + len });
      talk += len;
    }
    const t = start + talk;
    const canTransfer = mayTransfer && p.direction === 'incoming' && p.internal === 0 && p.transfers.length < 3;
    if (!canTransfer || !this.rng.chance(p.transfers.length === 0 ? 0.18 : 0.1)) {
      this.close(o, t, this.rng.chance(0.5) ? 'agent_hangup' : 'customer_hangup');
      this.end(t, 'hangup');
      return;
    }
    o.toTransferAt = t;
    const kind = this.rng.next();
    if (kind < 0.25) {
      // Blind transfer into another queue: the call waits again although it was answered.
      const transfer: TransferPlan = { type: 'blind', at: t };
      p.transfers.push(transfer);
      this.close(o, t, 'blind_transferred');
      this.queue(this.pick(this.roster.queues, this.queueOf(o)), t, transfer, false);
      return;
    }
    const target = this.pickAgent(this.roster.agents, o.agent);
    const ring = this.rng.int(3000, 15000);
    const answered = this.rng.chance(0.8);
    if (kind < 0.6) {
      const transfer: TransferPlan = { type: 'blind', at: t, answeredAt: answered ? t + ring : undefined };
      p.transfers.push(transfer);
      this.close(o, t, 'blind_transferred');
      const b = this.offer(target, t, answered ? ring : undefined, undefined);
      b.fromTransfer = 1;
      if (answered) {
        this.talk(b, true);
      } else {
        this.close(b, t + ring, 'no_answer');
        this.end(b.end, 'no_answer');
      }
      return;
    }
    // Attended: the first agent holds while the colleague rings, then hands over or takes the call back.
    const transfer: TransferPlan = { type: 'attended', at: t, answeredAt: answered ? t + ring : undefined };
    p.transfers.push(transfer);
    o.holds.push({ from: t, to: t + ring });
    const b = this.offer(target, t, answered ? ring : undefined, undefined);
    b.fromTransfer = 1;
    if (answered) {
      const consult = this.rng.int(5000, 20000);
      this.close(o, t + ring + consult, 'at_complete');
      this.talk(b, true, consult);
    } else {
      this.close(b, t + ring, 'at_cancel');
      const back = t + ring + this.rng.int(5000, 60000);
      this.close(o, back, 'agent_hangup');
      this.end(back, 'hangup');
    }
  }

  private queueOf(o: Offer): QueueDef | undefined {
    const idx = o.visit ?? o.queueOf;
    return idx === undefined ? undefined : this.plan.visits[idx].queue;
  }

  private offer(agent: AgentDef, start: number, ringMs: number | undefined, visit: number | undefined): Offer {
    const o: Offer = {
      agent, visit, queueOf: visit, start, answeredAt: ringMs === undefined ? undefined : start + ringMs, end: OPEN,
      holds: [], visibleFrom: start, fromTransfer: 0, onHook: 0, endReason: '',
    };
    this.plan.offers.push(o);
    return o;
  }

  private close(o: Offer, at: number, reason: string): void {
    o.end = at;
    o.endReason = reason;
    // An answered visit lasts as long as the agent who took the call from it.
    if (o.visit !== undefined && o.answeredAt !== undefined) {
      const v = this.plan.visits[o.visit];
      if (v.end === OPEN) v.end = at;
    }
  }

  private leave(v: Visit, at: number, reason: string): void {
    v.end = at;
    v.waitEnd = Math.min(v.waitEnd, at);
    v.failReason = reason;
  }

  private end(at: number, reason: string): void {
    this.plan.end = at;
    this.plan.terminated = reason;
  }

  private finish(): void {
    const p = this.plan;
    for (const o of p.offers) {
      if (o.end === OPEN) this.close(o, p.end, 'customer_hangup');
    }
    for (const v of p.visits) {
      if (v.end === OPEN) v.end = p.end;
      if (v.waitEnd === OPEN) v.waitEnd = v.end;
    }
    const r = p.redirected;
    r.total = r.no_reason + r.no_answer + r.no_reachable + r.user_busy + r.unconditional;
  }

  private pick<T>(items: readonly T[], not: T | undefined): T {
    const others = items.filter((x) => x !== not);
    return this.rng.pick(others.length > 0 ? others : items);
  }

  private pickAgent(agents: readonly AgentDef[], not: AgentDef): AgentDef {
    return this.pick(agents, not);
  }
}

// ---- Rendering: the documents of every entity as they stand at a moment ----

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

function render(p: Plan, roster: Roster): SimJourney {
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
