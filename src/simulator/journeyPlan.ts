// The plan of one simulated journey: its visits, offers, transfers and call-backs on one timeline, from which
// src/simulator/render.ts renders every document. Planned first, rendered after: that keeps the three feeds consistent.
import type { EpochMs, FeedDocument, FeedName, OnHookedCalls, Redirected } from '../core/types';
import type { AgentDef, IvrDef, QueueDef } from './roster';

export interface SimEvent { at: EpochMs; feed: FeedName; doc: FeedDocument }
export interface SimJourney { idCall: string; startAt: EpochMs; endAt: EpochMs; events: SimEvent[]; summary: string }

interface Interval { from: number; to: number }

export interface Visit {
  queue: QueueDef;
  start: number;
  /** When the call left the queue's handling (answered visits: when the answering agent let go). */
  end: number;
  /** When waiting in this queue stopped (first answer or leaving). */
  waitEnd: number;
  failReason?: string;
}

export interface Offer {
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

export interface TransferPlan { type: 'blind' | 'attended'; at: number; answeredAt?: number }
type OnHookField = keyof Required<OnHookedCalls>;

export interface Plan {
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

export const OPEN = Number.POSITIVE_INFINITY;
