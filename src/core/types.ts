// Document types for the three Stream Liner feeds (docs/protocol.md).
// Decoded documents are normalised: ids become strings, top-level flags become 0 | 1,
// and unknown extra fields stay on the object so the timeline can show them.

export type FeedName = 'calls' | 'queues' | 'agents';
export const FEED_NAMES: readonly FeedName[] = ['calls', 'queues', 'agents'];

/** Boolean-like integer flag after normalisation (the wire may send 0/1 or true/false). */
export type Flag = 0 | 1;

/** Epoch milliseconds. */
export type EpochMs = number;
/** Duration in seconds. */
export type Seconds = number;

/** Known terminated_call_reason values; unseen values are kept as plain strings. */
export const TERMINATED_CALL_REASONS = [
  'hangup', 'no_answer', 'busy', 'failed', 'redirect_no_answer', 'redirect_not_reachable',
  'redirect_user_busy', 'toggle', 'queue_leave_abandon', 'queue_leave_digit', 'queue_leave_empty',
  'queue_leave_timeout', 'queue_ohw_no_answer', 'queue_ohw_no_confirmation', 'queue_leave_full',
  'redirect', 'answered_elsewhere', 'blind_transferred', 'at_complete', 'at_cancel', 'ivr_timeout',
  'ivr_closed', 'bridged', 'answered_by_other_terminal',
] as const;
export type KnownTerminatedCallReason = (typeof TERMINATED_CALL_REASONS)[number];
export type TerminatedCallReason = KnownTerminatedCallReason | (string & {});

/** Known queue fail_reason values; unseen values are kept as plain strings. */
export const QUEUE_FAIL_REASONS = [
  'queue_leave_digit', 'queue_leave_empty', 'queue_leave_timeout', 'queue_leave_abandon',
  'queue_pick', 'queue_leave_full',
] as const;
export type KnownQueueFailReason = (typeof QUEUE_FAIL_REASONS)[number];
export type QueueFailReason = KnownQueueFailReason | (string & {});

export type CallDirection = 'incoming' | 'outgoing' | (string & {});

export interface CallTime {
  start: EpochMs;
  /** Only filled in when the call (or this queue visit / agent offer) has ended. */
  end?: EpochMs;
}

export interface AgentCallTime extends CallTime {
  /** When this agent answered: a timestamp, not a flag. */
  answered?: EpochMs;
}

export interface CustomerTarget {
  number?: string;
}

export interface CustomerTelavox {
  id?: string;
  name?: string;
}

/** Callback ("on hook") counters, an object in the calls and queues feeds. */
export interface OnHookedCalls {
  no_wait_request?: number;
  answer_wait_request?: number;
  customer_no_answer?: number;
}

export interface FirstLastTotal {
  first?: Seconds;
  last?: Seconds;
  total?: Seconds;
}

export interface CallsDuration {
  queue?: FirstLastTotal;
  ring?: FirstLastTotal;
  talk?: FirstLastTotal;
  total?: Seconds;
  /** ring + queue (docs/protocol.md). */
  wait_time?: Seconds;
  before_queue?: Seconds;
  hold?: Seconds;
}

export interface QueueDocDuration {
  total?: Seconds;
  queue?: Seconds;
  ring?: Seconds;
  talk?: Seconds;
  hold?: Seconds;
}

export interface AgentDocDuration {
  total?: Seconds;
  ring?: Seconds;
  talk?: Seconds;
  hold?: Seconds;
}

export interface MenuDigit {
  dialed_number?: number | string;
  destination?: string;
  type?: string;
}

export interface IvrRef {
  id?: string;
  name?: string;
  phone?: string;
  /** Present on ivr_first / ivr_last in the calls feed. */
  timestamp?: EpochMs;
}

export interface QueueRef {
  id?: string;
  name?: string;
  phone?: string;
  strategy?: string;
  /** When the call entered this queue. */
  timestart?: EpochMs;
  fail_reason?: QueueFailReason;
}

export interface AgentRef {
  id?: string;
  name?: string;
  /** The queues feed splits name and surname. */
  surname?: string;
  phone?: string;
  /** When this agent answered: a timestamp. */
  answered?: EpochMs;
  to_transfer?: number;
  from_transfer?: number;
}

/** The `agent` object of the agents feed. */
export interface AgentInfo {
  id?: string;
  name?: string;
  phone?: string;
  time_zone?: string;
}

export interface Redirected {
  total?: number;
  no_reason?: number;
  no_answer?: number;
  no_reachable?: number;
  user_busy?: number;
  unconditional?: number;
}

export interface TransferInfo {
  type?: string;
  answered?: Flag;
}

/** Fields common to every feed's document. */
export interface BaseDocument {
  id_call: string;
  active: Flag;
  answered?: Flag;
  recorded?: Flag;
  call_direction?: CallDirection;
  time: CallTime;
  customer_target?: CustomerTarget;
  customer_telavox?: CustomerTelavox;
  /** Unknown extra fields are kept on the object. */
  [extra: string]: unknown;
}

/** /calls: one document per call covering the whole journey. */
export interface CallsDocument extends BaseDocument {
  internal?: Flag;
  voicemail?: Flag;
  offered_and_answered?: number;
  offered_and_not_answered?: number;
  terminated_call_reason?: TerminatedCallReason;
  simultaneous_device_calls?: number;
  /** A count in the calls feed. */
  transfers?: number;
  on_hooked_calls?: OnHookedCalls;
  agent_list?: string[];
  agent_list_answer?: string[];
  agent_list_no_answer?: string[];
  queue_list?: string[];
  ivr_list?: string[];
  duration?: CallsDuration;
  menu_digit?: MenuDigit;
  ivr_first?: IvrRef;
  ivr_last?: IvrRef;
  queue_first?: QueueRef;
  queue_last?: QueueRef;
  agent_first?: AgentRef;
  agent_last?: AgentRef;
  redirected?: Redirected;
  transfer_first?: TransferInfo;
  transfer_last?: TransferInfo;
}

/** /queues: one document per queue visit. */
export interface QueuesDocument extends BaseDocument {
  voicemail?: Flag;
  /** 0/1 in the queues feed. */
  transfer?: Flag;
  on_hooked_calls?: OnHookedCalls;
  agent_list?: string[];
  agent_list_answer?: string[];
  agent_list_no_answer?: string[];
  agent_first?: AgentRef;
  agent_last?: AgentRef;
  queue?: QueueRef;
  ivr?: IvrRef;
  duration?: QueueDocDuration;
}

/** /agents: one document per offer of the call to an agent. */
export interface AgentsDocument extends BaseDocument {
  time: AgentCallTime;
  /** 0/1 in the agents feed. */
  transfer?: Flag;
  internal?: Flag;
  /** An integer (0/1) in the agents feed. */
  on_hooked_calls?: number;
  agent_end_reason?: string;
  simultaneous_device_calls?: number;
  agent?: AgentInfo;
  duration?: AgentDocDuration;
  ivr?: IvrRef;
  queue?: QueueRef;
}

export type FeedDocument = CallsDocument | QueuesDocument | AgentsDocument;

/** A decoded document tagged with its feed. */
export type DecodedDocument = (
  | { feed: 'calls'; doc: CallsDocument }
  | { feed: 'queues'; doc: QueuesDocument }
  | { feed: 'agents'; doc: AgentsDocument }
) & {
  /**
   * The frame's exact bytes (set by the decoder): a copy outside the JS heap, so the store can keep every frame
   * of a retained call (its timeline, re-decoded on read) without the garbage collector copying it, and compare
   * frames to spot re-sent documents.
   */
  frame?: Buffer;
};

/** Distinct, countable reasons a frame is rejected. */
export type RejectReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_id_call'
  | 'invalid_time_start'
  | 'invalid_active'
  | 'frame_too_large'
  /** Nested deeper than the decoder's bound (later code walks documents recursively). */
  | 'too_deeply_nested';

export const REJECT_REASONS: readonly RejectReason[] = [
  'invalid_json', 'not_an_object', 'missing_id_call', 'invalid_time_start', 'invalid_active', 'frame_too_large',
  'too_deeply_nested',
];

export type DecodeResult =
  /** `dropped`: dotted paths of fields removed as unreadable or hostile (at most 50), for logging. */
  | { ok: true; value: DecodedDocument; dropped?: string[] }
  | { ok: false; reason: RejectReason; detail: string };

/** A frame as the `ws` library hands it over: one Buffer, the Buffers of a fragmented message, or an ArrayBuffer. */
export type SocketFrame = Buffer | ArrayBuffer | Buffer[];

/** The frame size bound shared by the decoder and the socket's maxPayload: 1 MiB. */
export const MAX_FRAME_BYTES = 1024 * 1024;
