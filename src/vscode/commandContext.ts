// What every command handler shares: the command ids, its dependencies, the prompter, and one way to tell the user.
import type { ConnectionController } from '../app/connectionController';
import type { Log } from '../app/log';
import type { StreamLinerSettings } from '../app/settings';
import type { CallFilter, CallRecord, GroupMode } from '../core/model';
import { plainText, TEXT_CAPS } from '../shared/sanitize';
import type { Prompter } from './prompter';
import type { TokenStore } from './tokenStore';

export const COMMAND_IDS = {
  connect: 'streamLiner.connect',
  disconnect: 'streamLiner.disconnect',
  setToken: 'streamLiner.setToken',
  clearToken: 'streamLiner.clearToken',
  startDemo: 'streamLiner.startDemo',
  groupByQueue: 'streamLiner.groupByQueue',
  groupByAgent: 'streamLiner.groupByAgent',
  openTimeline: 'streamLiner.openTimeline',
  filter: 'streamLiner.filter',
  clearFilter: 'streamLiner.clearFilter',
  exportCall: 'streamLiner.exportCall',
  copyCallJson: 'streamLiner.copyCallJson',
} as const;

/** What the commands need from the views (tree, timeline), kept narrow so either side can change. */
export interface ViewHooks {
  setGroupBy(mode: GroupMode): void;
  openTimeline(callId: string): unknown;
}

export interface CommandDeps {
  controller: ConnectionController;
  tokens: TokenStore;
  log: Log;
  settings: () => StreamLinerSettings;
  prompter: () => Prompter;
  views: ViewHooks;
  setContext: (key: string, value: unknown) => Thenable<unknown>;
}

export class CommandContext {
  constructor(readonly deps: CommandDeps) {}

  get ui(): Prompter {
    return this.deps.prompter();
  }

  showError(message: string, ...items: string[]): Thenable<string | undefined> {
    return this.ui.showErrorMessage(this.notice(message), ...items);
  }

  /**
   * A notification's text: messages can carry network text (a server's close reason, call ids), and notifications
   * render `[label](https:…)` and `[label](command:…)` as links. Redacted first, so the marker is made plain too.
   */
  notice(message: string): string {
    return plainText(this.deps.log.redact(message), TEXT_CAPS.notificationMessage);
  }

  /** Sets the store's filter, the streamLiner.filterActive context key, and logs which fields it uses. */
  async applyFilter(filter: CallFilter): Promise<void> {
    this.deps.controller.store.setFilter(filter);
    await this.deps.setContext('streamLiner.filterActive', filter.length > 0);
    this.deps.log.info(filter.length ? `Filter set on ${filter.map((c) => c.field).join(', ')}.` : 'Filter cleared.');
  }

  /** The active and recent calls (those the filter shows). */
  allCalls(): CallRecord[] {
    const store = this.deps.controller.store;
    return [...store.activeCalls(), ...store.endedCalls()];
  }

  /** The call with this id; undefined, after telling the user, when it is no longer in memory. */
  callInMemory(id: string): CallRecord | undefined {
    const call = this.deps.controller.store.getCall(id);
    if (!call) void this.showError(`Stream Liner: call ${id} is no longer in memory.`);
    return call;
  }
}
