// Frames refused by the decoder: counted by reason, and the first few of each reason logged.
import { safeLine } from '../../shared/sanitize';
import type { FeedName, RejectReason } from '../types';

export interface RejectionLogger {
  warn(msg: string): void;
}

export type RejectCounts = Partial<Record<RejectReason, number>>;

/** `invalid_json=12, missing_id_call=2`, or '' when nothing was rejected. */
export function describeRejects(counts: RejectCounts): string {
  return Object.entries(counts).filter(([, n]) => (n ?? 0) > 0).map(([reason, n]) => `${reason}=${n}`).join(', ');
}

export class Rejections {
  private readonly counts: RejectCounts = {};

  /** `logLimit`: lines logged per reason; the rest are only counted, so a broken feed cannot flood the log. */
  constructor(private readonly logLimit: number, private readonly logger: RejectionLogger) {}

  add(feed: FeedName, reason: RejectReason, detail: string): void {
    const n = (this.counts[reason] ?? 0) + 1;
    this.counts[reason] = n;
    if (n > this.logLimit) return;
    const more = n === this.logLimit ? ' Further frames rejected for this reason are only counted.' : '';
    this.logger.warn(`Rejected a ${feed} frame (${reason}, ${n} so far): ${safeLine(String(detail), 200)}${more}`);
  }

  /** A copy of the counts by reason. */
  snapshot(): RejectCounts {
    return { ...this.counts };
  }
}
