// What the user is told about settings: each distinct bad value once, with a way to the setting; and a url moved to
// another origin, which stops the connection because its token belongs to the old origin only.
import * as vscode from 'vscode';
import { originOf } from '../feed/url';
import type { Prompter } from './prompter';
import type { Log } from '../app/log';
import { SettingProblemMemory, type SettingProblem } from '../app/settings';

export const OPEN_SETTING = 'Open Setting';

export class SettingNotices {
  readonly #told = new SettingProblemMemory();

  constructor(private readonly deps: { log: Log; prompter: () => Prompter }) {}

  /** Warns about the problems not told before; "Open Setting" opens the Settings editor at that setting. */
  problems(found: readonly SettingProblem[]): void {
    for (const problem of this.#told.fresh(found)) {
      this.deps.log.warn(problem.message);
      void this.deps.prompter().showWarningMessage(`Stream Liner: ${problem.message}`, {}, OPEN_SETTING).then((action) => {
        if (action === OPEN_SETTING) void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
      });
    }
  }

  /** Tells that the connection stopped because streamLiner.url moved to another origin; "Connect" connects there. */
  originMoved(previousUrl: string, nextUrl: string): void {
    const from = originOf(previousUrl) ?? previousUrl;
    const to = originOf(nextUrl) ?? nextUrl;
    this.deps.log.warn(`streamLiner.url moved from ${from} to ${to}: disconnected; the token for ${from} is not sent to ${to}.`);
    void this.deps.prompter().showWarningMessage(
      `Stream Liner disconnected: streamLiner.url now points to ${to}, and the token for ${from} is never sent to another origin. ` +
      `Connect to use (or set) the token for ${to}.`, {}, 'Connect',
    ).then((action) => {
      if (action === 'Connect') void vscode.commands.executeCommand('streamLiner.connect');
    });
  }
}
