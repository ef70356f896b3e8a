// The decoder's schema of each feed: which known field is normalised how. Maps, so a key such as "constructor" never
// finds Object.prototype members.
import type { FeedName } from '../types';

/** Deepest nesting accepted (the known schema is 3 levels deep; later code recurses into documents). */
export const MAX_DEPTH = 32;

/** How one known field is normalised. */
export type Rule =
  | 'id' | 'flag' | 'ts' | 'num' | 'text' | 'list' | 'numOrText'
  | { obj: Schema; orNum?: boolean };
export type Schema = ReadonlyMap<string, Rule>;

const schema = (entries: Record<string, Rule>): Schema => new Map(Object.entries(entries));

const IVR = schema({ id: 'id', name: 'text', phone: 'text', timestamp: 'ts' });
const QUEUE = schema({ id: 'id', name: 'text', phone: 'text', strategy: 'text', timestart: 'ts', fail_reason: 'text' });
const AGENT_REF = schema({
  id: 'id', name: 'text', surname: 'text', phone: 'text', answered: 'ts', to_transfer: 'num', from_transfer: 'num',
});
const AGENT_INFO = schema({ id: 'id', name: 'text', phone: 'text', time_zone: 'text' });
const FLT: Rule = { obj: schema({ first: 'num', last: 'num', total: 'num' }), orNum: true };
const ON_HOOKED: Rule = { obj: schema({ no_wait_request: 'num', answer_wait_request: 'num', customer_no_answer: 'num' }) };
const TRANSFER: Rule = { obj: schema({ type: 'text', answered: 'flag' }) };

const COMMON: Record<string, Rule> = {
  // id_call, active and time.start are validated before the schema runs.
  answered: 'flag', recorded: 'flag', voicemail: 'flag', internal: 'flag', transfer: 'flag',
  call_direction: 'text',
  time: { obj: schema({ start: 'ts', end: 'ts', answered: 'ts' }) },
  customer_target: { obj: schema({ number: 'text' }) },
  customer_telavox: { obj: schema({ id: 'id', name: 'text' }) },
  agent_list: 'list', agent_list_answer: 'list', agent_list_no_answer: 'list',
  simultaneous_device_calls: 'num',
};

export const FEED_SCHEMAS: Record<FeedName, Schema> = {
  calls: schema({
    ...COMMON,
    offered_and_answered: 'num', offered_and_not_answered: 'num', terminated_call_reason: 'text', transfers: 'num',
    on_hooked_calls: ON_HOOKED, queue_list: 'list', ivr_list: 'list',
    duration: { obj: schema({ queue: FLT, ring: FLT, talk: FLT, total: 'num', wait_time: 'num', before_queue: 'num', hold: 'num' }) },
    menu_digit: { obj: schema({ dialed_number: 'numOrText', destination: 'text', type: 'text' }) },
    ivr_first: { obj: IVR }, ivr_last: { obj: IVR },
    queue_first: { obj: QUEUE }, queue_last: { obj: QUEUE },
    agent_first: { obj: AGENT_REF }, agent_last: { obj: AGENT_REF },
    redirected: { obj: schema({ total: 'num', no_reason: 'num', no_answer: 'num', no_reachable: 'num', user_busy: 'num', unconditional: 'num' }) },
    transfer_first: TRANSFER, transfer_last: TRANSFER,
  }),
  queues: schema({
    ...COMMON,
    on_hooked_calls: ON_HOOKED,
    agent_first: { obj: AGENT_REF }, agent_last: { obj: AGENT_REF },
    queue: { obj: QUEUE }, ivr: { obj: IVR },
    duration: { obj: schema({ total: 'num', queue: 'num', ring: 'num', talk: 'num', hold: 'num' }) },
  }),
  agents: schema({
    ...COMMON,
    // An integer 0/1 in the agents feed (an object in the other two).
    on_hooked_calls: 'num', agent_end_reason: 'text',
    agent: { obj: AGENT_INFO }, ivr: { obj: IVR }, queue: { obj: QUEUE },
    duration: { obj: schema({ total: 'num', ring: 'num', talk: 'num', hold: 'num' }) },
  }),
};

/** How a known path is normalised, as schemaPaths lists it: an object rule is 'obj' ('objOrNum' when a number
 * or numeric string is also accepted in place of the object). */
export type SchemaRuleKind = 'id' | 'text' | 'flag' | 'ts' | 'num' | 'list' | 'numOrText' | 'obj' | 'objOrNum';

/**
 * Every known path of `feed`'s schema with its rule, each object's path before its children's, for code that must
 * agree with this decoder without copying its schema (the frame scanner, src/core/scan). id_call, active and the
 * presence of time.start are checked before the schema runs and are not listed unless the schema names them.
 */
export function schemaPaths(feed: FeedName): Array<{ path: readonly string[]; rule: SchemaRuleKind }> {
  const out: Array<{ path: readonly string[]; rule: SchemaRuleKind }> = [];
  const walk = (rules: Schema, parent: readonly string[]): void => {
    for (const [key, rule] of rules) {
      const path = [...parent, key];
      if (typeof rule === 'string') {
        out.push({ path, rule });
      } else {
        out.push({ path, rule: rule.orNum ? 'objOrNum' : 'obj' });
        walk(rule.obj, path);
      }
    }
  };
  walk(FEED_SCHEMAS[feed], []);
  return out;
}
