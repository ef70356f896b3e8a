// Change events: the change a document makes, and its delivery to listeners. Each change is an object of its own, so
// a listener may keep it.
import { KeySet } from '../keySet';
import { NO_GROUP_KEY, type StoreChange } from '../model';
import type { CallEntry } from './callEntry';
import { queueKeyOf } from './queries';

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
}

/** The store's listeners, and the change object handed to them. */
export class ChangeEvents {
  private listeners: ((change: StoreChange) => void)[] = [];

  /** Calls `listener` after every change, until disposed. */
  listen(listener: (change: StoreChange) => void): { dispose(): void } {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  }

  /** Everything may have changed (filter, options, clear, reconnect). */
  emitAll(): void {
    this.emit({ calls: EMPTY, queueGroups: EMPTY, agentGroups: EMPTY, ended: EMPTY, counters: true, all: true });
  }

  emit(change: StoreChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A broken view must not stop the store or the other listeners.
      }
    }
  }
}

/** Names the call's current groups in `change` (before and after a document, so both old and new groups are named). */
export function noteGroups(entry: CallEntry, change: ChangeDraft): void {
  change.queueGroups.add(queueKeyOf(entry));
  // agentKeysOf's keys, without its array: this runs twice for every document of an active call.
  if (entry.activeAgents.length === 0) change.agentGroups.add(NO_GROUP_KEY);
  // Indexed, not for-of: the list is sometimes the shared frozen empty one, and a for-of over two kinds of array
  // allocates an iterator.
  const agents = entry.activeAgents;
  for (let i = 0; i < agents.length; i++) change.agentGroups.add(agents[i].id);
}
