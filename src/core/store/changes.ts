// The change a document makes, as listeners receive it.
import { KeySet } from '../keySet';
import type { StoreChange } from '../model';

export const EMPTY: ReadonlySet<string> = new Set<string>();

/**
 * A change being made, handed to listeners as the StoreChange itself when done (one object per document, not a draft
 * and then a copy of it). Its sets are empty, not absent, when they name nothing.
 */
export class ChangeDraft implements StoreChange {
  readonly calls = new KeySet();
  readonly queueGroups = new KeySet();
  readonly agentGroups = new KeySet();
  /** Made when a call ends in this change (rare), so most changes make three key sets, not four. */
  ended: ReadonlySet<string> = EMPTY;
  counters = false;
  readonly all = false;

  endedCall(id: string): void {
    if (this.ended === EMPTY) this.ended = new KeySet();
    (this.ended as KeySet).add(id);
  }

  /** Empty again, for the next document (see CallStore.draft). */
  reset(): this {
    this.calls.clear();
    this.queueGroups.clear();
    this.agentGroups.clear();
    this.ended = EMPTY;
    this.counters = false;
    return this;
  }
}
