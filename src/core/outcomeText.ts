// The one display text of an ended call's outcome, for every view (tree rows and tooltips, quick picks, the
// timeline's header and phase bar). The export keeps its own `summary.outcome` values (src/app/callExport.ts).
import type { CallOutcome } from './model';

/**
 * "answered", "abandoned", "voicemail", or another end's reason in words ("no answer" for `no_answer`; "ended" when
 * the reason is empty); undefined while the call has no outcome. Feed text: each surface sanitises it for itself.
 */
export function outcomeText(outcome: CallOutcome | undefined): string | undefined {
  if (!outcome) return undefined;
  if (outcome.kind !== 'other') return outcome.kind;
  return outcome.reason.replace(/_/g, ' ').trim() || 'ended';
}
