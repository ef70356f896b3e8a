// Reusable Playwright helpers for UI tests against code-server: launch a workbench with the built extension,
// run palette commands, read tree rows and the status bar, take screenshots.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  CACHE_DIR, type CodeServer, ensureBuilt, launchChromium, logFile, prepareProfile, startCodeServer, workbenchQuery,
} from '../harness/prerequisites.mjs';

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  folder: string;
  /** Browser console lines of type error, for assertions and failure reports. */
  consoleErrors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Short name for this run's folders under .vscode-test/ui/<name>/ and its logs. */
  name: string;
  /** Workspace settings (.vscode/settings.json of the opened folder). */
  settings?: Record<string, unknown>;
  /** User settings; the defaults keep the workbench quiet and deterministic. */
  userSettings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Workspace trust on (the folder starts untrusted and VS Code asks); by default every folder is trusted. */
  workspaceTrust?: boolean;
}


/** Starts code-server with the built extension installed and opens its workbench in headless Chromium. */
export async function launchWorkbench(options: LaunchOptions): Promise<Workbench> {
  await ensureBuilt();
  const { userDataDir, extensionsDir, folder } = prepareProfile({
    root: join(CACHE_DIR, 'ui', options.name), workspaceSettings: options.settings,
    userSettings: { ...options.userSettings, ...(options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {}) },
  });
  const server = await startCodeServer({
    userDataDir, extensionsDir, folder, log: logFile(`code-server-ui-${options.name}.log`), workspaceTrust: options.workspaceTrust,
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    await page.goto(`${server.url}${workbenchQuery(folder)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
    const opened = browser;
    return {
      page, browser: opened, server, folder, consoleErrors,
      close: async () => {
        await opened.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/** Picks a command in the palette by its full title and presses Enter. */
async function pickCommand(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 10 } }).catch(() => undefined);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Runs a command from the palette by its full title, e.g. `Stream Liner: Group by Agent`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickCommand(page, title);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Runs a palette command that asks in an input box: waits for the box whose title contains `boxTitle`, types
 * `value`, presses Enter. Returns the box's title.
 */
export async function runCommandWithInput(page: Page, title: string, boxTitle: string, value: string): Promise<string> {
  await pickCommand(page, title);
  const input = page.locator('.quick-input-widget input.input');
  const heading = page.locator('.quick-input-widget .quick-input-title', { hasText: boxTitle });
  await heading.waitFor({ state: 'visible', timeout: 20000 });
  const shown = ((await heading.textContent()) ?? '').trim();
  await input.fill(value);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  return shown;
}

/** Clicks an activity-bar container by its title (e.g. `Stream Liner`) and waits for the sidebar. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 30000 });
  const expanded = await item.getAttribute('aria-expanded');
  if (expanded !== 'true') await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
}

/**
 * Names of the views in the sidebar (e.g. `Calls`). With a single view VS Code hides its pane header and shows
 * `CONTAINER: VIEW` as the sidebar title, so read the headers' aria-labels (`Calls Section`) instead of their text.
 */
export async function sidebarViewTitles(page: Page): Promise<string[]> {
  const labels = await page.locator('.part.sidebar .pane-header').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels.map((l) => l.replace(/ Section$/, '').trim()).filter(Boolean);
}

/** Waits until the sidebar holds the view named `name` and returns the sidebar's title text. */
export async function waitForSidebarView(page: Page, name: string, timeout = 30000): Promise<string> {
  await page.locator(`.part.sidebar .pane-header[aria-label^="${name} "]`).first().waitFor({ state: 'attached', timeout });
  const title = page.locator('.part.sidebar .composite.title .title-label').first();
  await title.waitFor({ state: 'visible', timeout });
  return ((await title.textContent()) ?? '').trim();
}

/** The sidebar's view title actions (their aria-labels, e.g. `Group by Agent`). */
export async function sidebarTitleActions(page: Page): Promise<string[]> {
  return page.locator('.part.sidebar .title-actions .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

export interface TreeRow { label: string; description: string; level: number; expanded: boolean | undefined; text: string }

/** The rows of the sidebar's tree(s), as shown. */
export async function treeRows(page: Page): Promise<TreeRow[]> {
  const rows = page.locator('.part.sidebar .monaco-list-row[role="treeitem"]');
  const out: TreeRow[] = [];
  for (const row of await rows.all()) {
    const label = (await row.locator('.label-name').first().textContent().catch(() => null)) ?? '';
    const description = (await row.locator('.label-description').first().textContent().catch(() => null)) ?? '';
    const level = Number(await row.getAttribute('aria-level')) || 0;
    const exp = await row.getAttribute('aria-expanded');
    out.push({ label: label.trim(), description: description.trim(), level, expanded: exp == null ? undefined : exp === 'true', text: ((await row.textContent()) ?? '').trim() });
  }
  return out;
}

/** Waits until the sidebar tree shows at least `count` rows and returns them. */
export async function waitForTreeRows(page: Page, count = 1, timeout = 30000): Promise<TreeRow[]> {
  await page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').nth(count - 1).waitFor({ state: 'visible', timeout });
  return treeRows(page);
}

/** The status bar item contributed by the extension with this id (e.g. `streamLiner.status`). */
export function statusBarItem(page: Page, itemId = 'streamLiner.status') {
  const escaped = `streamliner.stream-liner.${itemId}`.replace(/\./g, '\\.');
  return page.locator(`.part.statusbar #${escaped}`);
}

/** Text of the extension's status bar item (waits for it to appear). */
export async function statusBarText(page: Page, itemId = 'streamLiner.status'): Promise<string> {
  const item = statusBarItem(page, itemId);
  await item.waitFor({ state: 'visible', timeout: 30000 });
  return ((await item.textContent()) ?? '').trim();
}

/** Messages of visible notification toasts. */
export async function notifications(page: Page): Promise<string[]> {
  const texts = await page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
  return texts.map((t) => t.trim());
}

/** Error texts on screen: error toasts and modal dialogs (a failing palette command shows a dialog). */
export async function visibleErrors(page: Page): Promise<string[]> {
  const toasts = await page.locator('.notifications-toasts .notification-list-item:has(.codicon-error) .notification-list-item-message').allTextContents();
  const dialogs = await page.locator('.monaco-dialog-box').allTextContents();
  return [...toasts, ...dialogs].map((t) => t.trim()).filter(Boolean);
}

/** Saves a full-page screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = logFile(`${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true }).catch(() => undefined);
  return path;
}

/** Runs `body`; on failure saves a screenshot named after the test before rethrowing. */
export async function withScreenshotOnFailure<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const path = await screenshot(page, `failure-${name}`);
    if (err instanceof Error) err.message += `\n(screenshot: ${path})`;
    throw err;
  }
}
