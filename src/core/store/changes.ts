// Change events: the change a document makes, and its delivery to listeners. While every listener is transient
// (reads a change only while it is called), one change object is reused for every document.
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

  /** Empty again, for the next document (see ChangeEvents.draft). */
  reset(): this {
    this.calls.clear();
    this.queueGroups.clear();
    this.agentGroups.clear();
    this.ended = EMPTY;
    this.counters = false;
    return this;
  }
}

/** The store's listeners, and the change object handed to them. */
export class ChangeEvents {
  private listeners: ((change: StoreChange) => void)[] = [];
  /** Listeners that did not promise to read changes only while called (see listen). */
  private keeping = 0;
  /** Depth of emit() calls in progress. */
  private depth = 0;
  /** The change object draft() reuses. */
  private spare: ChangeDraft | undefined;

  /** Whether a change is being delivered (a listener that ingests while it is called is inside it). */
  get emitting(): boolean {
    return this.depth > 0;
  }

  /**
   * Calls `listener` after every change. A `transient` listener promises to read the change only during the call
   * (views that fold it into their own state do): while every listener is transient, draft() reuses one object.
   */
  listen(listener: (change: StoreChange) => void, transient: boolean): { dispose(): void } {
    const keeps = !transient;
    this.listeners = [...this.listeners, listener];
    if (keeps) this.keeping++;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.listeners = this.listeners.filter((l) => l !== listener);
        if (keeps) this.keeping--;
      },
    };
  }

  /**
   * The change for a document: the reused one when no listener keeps changes and none is being delivered (a listener
   * that ingests while it is called gets a new one), else a new one.
   */
  draft(): ChangeDraft {
    if (this.keeping > 0 || this.depth > 0) return new ChangeDraft();
    return (this.spare ??= new ChangeDraft()).reset();
  }

  /** Everything may have changed (filter, options, clear, reconnect). */
  emitAll(): void {
    this.emit({ calls: EMPTY, queueGroups: EMPTY, agentGroups: EMPTY, ended: EMPTY, counters: true, all: true });
  }

  emit(change: StoreChange): void {
    this.depth++;
    try {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch {
          // A broken view must not stop the store or the other listeners.
        }
      }
    } finally {
      this.depth--;
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
