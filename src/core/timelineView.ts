// Pure view model of the call timeline webview: CallRecord -> header summary, phase bar, timeline entries,
// and the message stream (snapshot, then deltas) the host posts. No vscode import: unit-tested directly.
export { buildEntries, describeEntry } from './timeline/entryText';
export { buildPhases } from './timeline/phases';
export { entryJson, timelineTitle, TimelineSession, TimelineSync, type TimelineSessionDeps } from './timeline/session';
export { buildSummary } from './timeline/summary';
