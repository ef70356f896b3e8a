// Plans one journey (IVR, queue visits, agent offers, transfers, call-backs) as a timeline, drawing every choice
// from the seeded generator; src/simulator/render.ts turns the plan into documents.
import { OPEN, type Offer, type Plan, type TransferPlan, type Visit } from './journeyPlan';
import type { Rng } from './random';
import type { AgentDef, QueueDef, Roster } from './roster';

/** Builds one journey's timeline. Times only move forward; open offers/visits are closed at the call's end. */
export class Planner {
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
