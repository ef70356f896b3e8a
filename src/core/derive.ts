// Derivations from what the store holds for one call (rules: docs/protocol.md, best source first).
// Pure functions over a CallRecord's facts (never its decoded documents); the store decides when to call them.
export { deriveLive, type FeedsSeen, type LiveView } from './derive/live';
export { finalAgent, outcomeOf, visitAnswerIn } from './derive/outcome';
export { ABANDON_REASON, agentRef, refId, type NamedRef } from './derive/refs';
export {
  visitStats, type CallFacts, type OfferFacts, type VisitFacts, type VisitStat, type VisitStatsInput,
} from './derive/visitStats';
