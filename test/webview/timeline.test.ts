// The timeline webview in real headless Chromium: the built bundle and stylesheet served from loopback with
// the very HTML the extension renders (timelineHtml), a stubbed acquireVsCodeApi, and messages built by
// the host's own view model (TimelineSync) from calls ingested through the real decoder and store.
// Any page error, console error or CSP violation fails the test that caused it.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import * as esbuild from 'esbuild';
import type { CallRecord } from '../../src/core/model';
import { TimelineSession, TimelineSync } from '../../src/core/timelineView';
import type { HostToWebviewMessage, TimelineWebviewState, WebviewToHostMessage } from '../../src/shared/messages';
import { createNonce, timelineHtml } from '../../src/vscode/timelineHtml';
import { TEXT_CAPS } from '../../src/shared/sanitize';
import { COMMAND_LINK, FORBIDDEN_CHARACTERS } from '../support/hostileCorpus';
import {
  bigCall, CALL_ID, corpusCall, endedTransferCall, EXPECTED_PHASES, HOSTILE, hostileCall, liveTransferCall, NUMBER, T0,
  transferCallArrivals,
} from './fixtures';

const ROOT = resolve(__dirname, '..', '..');
const BUNDLE = join(ROOT, 'dist', 'webview', 'timeline.js');
const CSS = join(ROOT, 'media', 'timeline.css');
const RESULTS = join(ROOT, 'test-results');
const CHROMIUM = process.env.STREAM_LINER_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** What the init script keeps on window (no DOM lib in the test tsconfig, so typed by hand). */
interface PageWindow {
  __posted: WebviewToHostMessage[];
  __state: unknown;
  __acquired: number;
  __violations: string[];
  __pwned?: unknown;
  postMessage(message: unknown, targetOrigin: string): void;
}
type El = { textContent: string | null; getAttribute(name: string): string | null };
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
  activeElement: El | null;
}
// The lambdas passed to page.evaluate run in the page (serialized), so each casts globalThis itself.

// ---- Building the bundle when dist is missing or older than its sources ----------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureBundle(): Promise<void> {
  // The page imports only webview/ and src/shared/ (lint enforces it).
  const sources = Math.max(newestMtime(join(ROOT, 'webview')), newestMtime(join(ROOT, 'src', 'shared')));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  // The same options as esbuild.mjs's webview bundle (only this bundle: the host one is not needed here).
  await esbuild.build({
    entryPoints: [join(ROOT, 'webview', 'main.ts')], outfile: BUNDLE, bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', sourcemap: true, sourcesContent: false, logLevel: 'warning',
  });
}

// ---- A tiny loopback server for the page, the script and the stylesheet -------------------------------

let server: Server;
let origin = '';
let browser: Browser;
const nonces: string[] = [];

function startServer(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    const send = (type: string, body: string | Buffer): void => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') {
      const nonce = createNonce();
      nonces.push(nonce);
      send('text/html; charset=utf-8', timelineHtml({
        cspSource: origin, scriptUri: `${origin}/dist/webview/timeline.js`, styleUri: `${origin}/media/timeline.css`, nonce,
        callId: url.searchParams.get('call') ?? CALL_ID,
      }));
    } else if (url.pathname === '/dist/webview/timeline.js') {
      send('text/javascript; charset=utf-8', readFileSync(BUNDLE));
    } else if (url.pathname === '/media/timeline.css') {
      send('text/css; charset=utf-8', readFileSync(CSS));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // Chromium asks; a 404 would log a console error
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      done();
    });
  });
}

// ---- Themes: the body class and a small set of the --vscode-* variables VS Code sets ------------------

type Theme = 'light' | 'dark' | 'high-contrast';
const COMMON = {
  '--vscode-font-family': 'system-ui, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  '--vscode-editor-font-size': '12px',
};
const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-focusBorder': '#0078d4', '--vscode-panel-border': '#2b2b2b', '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-textCodeBlock-background': '#2b2b2b', '--vscode-textPreformat-foreground': '#d0d0d0', '--vscode-sideBar-background': '#181818',
    '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-charts-lines': '#cccccc80',
  },
  light: {
    '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-focusBorder': '#005fb8', '--vscode-panel-border': '#e5e5e5', '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-textCodeBlock-background': '#f3f3f3', '--vscode-textPreformat-foreground': '#3b3b3b', '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-charts-red': '#e51400', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90', '--vscode-charts-lines': '#61616180',
  },
  'high-contrast': {
    '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffff',
    '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
    '--vscode-textCodeBlock-background': '#000000', '--vscode-textPreformat-foreground': '#ffd700', '--vscode-sideBar-background': '#000000',
    '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff',
    '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
    '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#ffd700',
    '--vscode-charts-orange': '#ff8c00', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-charts-lines': '#ffffff',
  },
};

/**
 * Runs in the page before any of its scripts: the VS Code API stub, the theme, the CSP violation log.
 * Plain JavaScript text: tsx would wrap a TypeScript function's inner functions with a helper the page lacks.
 */
function initScript(state: unknown, themeClass: string, vars: Record<string, string>): string {
  return `(() => {
  const state = ${JSON.stringify(state ?? null)};
  const themeClass = ${JSON.stringify(themeClass)};
  const vars = ${JSON.stringify(vars)};
  window.__posted = [];
  window.__state = state === null ? undefined : state;
  window.__acquired = 0;
  window.__violations = [];
  window.acquireVsCodeApi = () => {
    // VS Code allows one call per page; a second one throws there, so it must here too.
    if (++window.__acquired > 1) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage: (m) => void window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => (window.__state = s),
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => void window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  // VS Code puts the variables on <html> and the theme class on <body>; do it as soon as they exist.
  const apply = () => {
    if (!document.documentElement || !document.body) return false;
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.classList.add(themeClass);
    return true;
  };
  if (!apply()) {
    const observer = new MutationObserver(() => { if (apply()) observer.disconnect(); });
    observer.observe(document, { childList: true, subtree: true });
  }
})();`;
}

interface Opened { page: Page; context: BrowserContext; problems: string[] }
const openedPages: Opened[] = [];

async function openTimeline(options: { theme?: Theme; state?: TimelineWebviewState; call?: string } = {}): Promise<Opened> {
  const theme = options.theme ?? 'dark';
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.addInitScript(initScript(options.state, `vscode-${theme}`, { ...COMMON, ...THEMES[theme] }));
  await page.goto(`${origin}/?call=${encodeURIComponent(options.call ?? CALL_ID)}`);
  const opened = { page, context, problems };
  openedPages.push(opened);
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).__posted.length > 0);
  return opened;
}

const posted = (page: Page): Promise<WebviewToHostMessage[]> => page.evaluate(() => (globalThis as unknown as PageWindow).__posted);
const violations = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as unknown as PageWindow).__violations);

async function send(page: Page, message: HostToWebviewMessage | unknown): Promise<void> {
  await page.evaluate((m) => (globalThis as unknown as PageWindow).postMessage(m, '*'), message);
}

const documentRequests = async (page: Page): Promise<WebviewToHostMessage[]> => (await posted(page)).filter((m) => m.type === 'showDocument');

/**
 * Plays the host for an expanded row: waits for the page's next `showDocument` request (after `seen` earlier
 * ones) and answers it as the extension's TimelineSession does.
 */
async function answerDocument(page: Page, record: CallRecord, seen: number, callId = record.id): Promise<void> {
  await page.waitForFunction((n) => (globalThis as unknown as PageWindow).__posted.filter((m) => m.type === 'showDocument').length > n, seen);
  const request = (await documentRequests(page))[seen];
  const replies: HostToWebviewMessage[] = [];
  new TimelineSession({ callId, getCall: () => record, post: (m) => replies.push(m), copy: () => undefined }).receive(request);
  assert.equal(replies.length, 1, 'the host answers a document request');
  await send(page, replies[0]);
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

/** Every page must end with no page error, console error or CSP violation. */
async function assertClean(o: Opened): Promise<void> {
  const v = await violations(o.page);
  assert.deepEqual([...o.problems, ...v.map((x) => `CSP violation: ${x}`)], []);
}

before(async () => {
  await ensureBundle();
  await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(RESULTS, { recursive: true });
});

afterEach(async () => {
  for (const o of openedPages.splice(0)) await o.context.close();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.close(() => done()));
});

// ---------------------------------------------------------------------------------------------------------

describe('timeline webview', () => {
  test('says ready first (with its call), keeps the call in setState, and ignores unknown messages', async () => {
    const o = await openTimeline();
    const first = await posted(o.page);
    assert.deepEqual(first, [{ type: 'ready', callId: CALL_ID }]);
    assert.deepEqual(await o.page.evaluate(() => (globalThis as unknown as PageWindow).__state), { callId: CALL_ID });
    assert.equal(await o.page.locator('vscode-progress-ring').count(), 1, 'a progress ring while waiting for the snapshot');
    await send(o.page, { type: 'bogus', callId: CALL_ID });
    await send(o.page, 'snapshot');
    await send(o.page, { type: 'snapshot', callId: CALL_ID }); // no entries/summary: malformed
    await send(o.page, new TimelineSync('another-call').snapshot(endedTransferCall()));
    assert.match((await o.page.locator('#app').textContent()) ?? '', /Loading the call/);
    assert.equal((await posted(o.page)).length, 1);
    await assertClean(o);
  });

  test('a restored panel asks for the call kept in its state', async () => {
    const o = await openTimeline({ state: { callId: 'restored-7' }, call: 'from-html' });
    assert.deepEqual(await posted(o.page), [{ type: 'ready', callId: 'restored-7' }]);
    await assertClean(o);
  });

  test('shows a 3-feed, multi-queue transfer call: header, phase bar in order, entries with feeds, descriptions, changed fields', async () => {
    const o = await openTimeline();
    const { page } = o;
    const record = endedTransferCall();
    await send(page, new TimelineSync(CALL_ID).snapshot(record));
    await page.locator('.entries .entry').nth(18).waitFor();

    // Header
    assert.equal(await page.locator('h1.number').textContent(), NUMBER);
    assert.deepEqual(await texts(page, '.title-row .tk-tag'), ['incoming']);
    assert.equal(await page.locator('.state .state-text').textContent(), 'Ended');
    assert.equal(await page.locator('.outcome').textContent(), 'Outcome: answered');
    const facts = await page.locator('.facts').innerText();
    assert.match(facts, /Queues\s+Support → Billing/);
    assert.match(facts, /Agents\s+Ben → Cara/);
    assert.doesNotMatch(facts, /Current/, 'an ended call has no current queue or agent');
    assert.match(facts, /Transfers\s+1/);
    const durations = Object.fromEntries(await page.locator('.duration').evaluateAll((els) =>
      els.map((e) => [(e as unknown as { firstChild: El }).firstChild.textContent, (e as unknown as { lastChild: El }).lastChild.textContent])));
    assert.deepEqual(durations, { Queue: '35 s', Ring: '24 s', Talk: '2:00', Hold: '10 s', Wait: '59 s', Total: '3:11' });

    // Phase bar: journey order, proportional widths, text alternative
    const kinds = await page.locator('.phase-bar .seg').evaluateAll((els) => els.map((e) => (e as unknown as El).getAttribute('data-kind')));
    assert.deepEqual(kinds, [...EXPECTED_PHASES.map((p) => p.kind), 'ended']);
    const widths: number[] = [];
    for (let i = 0; i < EXPECTED_PHASES.length; i++) widths.push((await page.locator('.phase-bar .seg').nth(i).boundingBox())?.width ?? 0);
    const perSecond = widths[9] / EXPECTED_PHASES[9].seconds; // Cara's 60 s talk
    for (const [i, p] of EXPECTED_PHASES.entries()) {
      if (p.seconds < 5) continue; // tiny segments keep a minimum width
      assert.ok(Math.abs(widths[i] / perSecond - p.seconds) < p.seconds * 0.08 + 0.5, `${p.kind} ${p.label}: ${widths[i]}px for ${p.seconds} s`);
    }
    const label = (await page.locator('.phase-bar').getAttribute('aria-label')) ?? '';
    assert.match(label, /^Call phases: IVR Main menu 12 s, Queue Support 18 s, Ringing Anna 10 s, Queue Support 2 s, Ringing Ben 8 s, Talk Ben 50 s, Hold Ben 10 s, Queue Billing 15 s, Ringing Cara 6 s, Talk Cara 60 s, End: answered$/);
    assert.equal(await page.locator('.phase-legend li').count(), EXPECTED_PHASES.length + 1);

    // Timeline entries
    assert.equal(await page.locator('.entries .entry').count(), transferCallArrivals().length);
    assert.equal(await page.locator('h2#timeline-heading .tk-badge').textContent(), '19');
    assert.deepEqual(await texts(page, '.entry .feed'), transferCallArrivals().map((a) => a.feed));
    // Each feed label is the toolkit's tag (its colours) with its feed's class.
    assert.deepEqual(
      await page.locator('.entry .feed').evaluateAll((els) => els.map((e) => e.className)),
      transferCallArrivals().map((a) => `tk-tag feed feed-${a.feed}`),
    );
    const descriptions = await texts(page, '.entry .entry-desc');
    assert.equal(descriptions[0], 'call started (incoming)');
    assert.equal(descriptions[2], 'entered queue Support');
    assert.equal(descriptions[3], 'agent Anna ringing');
    assert.equal(descriptions[6], 'agent Ben answered');
    assert.equal(descriptions[10], 'left queue Support: answered');
    assert.equal(descriptions[18], 'ended: hangup (answered)');
    assert.match((await page.locator('.entry').nth(0).locator('.entry-changed').textContent()) ?? '', /^new \d+ fields$/);
    assert.deepEqual((await texts(page, '.entry:nth-child(7) .entry-changed code')).sort(), ['answered', 'time.answered']);

    // Lazy JSON: nothing asked or rendered until a row is expanded; then the host's pretty JSON.
    assert.equal(await page.locator('pre.json').count(), 0);
    assert.deepEqual(await documentRequests(page), []);
    const toggle = page.locator('.entry').nth(6).locator('.entry-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('pre.json').count(), 1);
    const pre = page.locator('.entry').nth(6).locator('pre.json');
    assert.equal(await pre.getAttribute('aria-busy'), 'true', 'busy until the document arrives');
    assert.deepEqual(await documentRequests(page), [{ type: 'showDocument', callId: CALL_ID, seq: 6 }]);
    await answerDocument(page, record, 0, CALL_ID);
    await page.locator('.entry').nth(6).locator('pre.json[aria-busy="false"]').waitFor();
    assert.equal(await pre.textContent(), JSON.stringify(record.timeline[6].document, null, 2));

    // Copy goes through the host.
    await page.locator('.entry').nth(6).locator('vscode-button.copy-json').click();
    const messages = await posted(page);
    assert.deepEqual(messages[messages.length - 1], { type: 'copyJson', callId: CALL_ID, seq: 6 });

    // Keyboard: the rows are buttons; Enter toggles, arrows move between rows.
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.activeElement?.getAttribute('data-seq')), '7');
    await page.keyboard.press(' ');
    assert.equal(await page.locator('.entry').nth(7).locator('.entry-toggle').getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.activeElement?.getAttribute('data-copy')), '7', 'Tab reaches the copy button');
    await page.keyboard.press('Enter');
    const afterKeyboard = await posted(page);
    assert.deepEqual(afterKeyboard[afterKeyboard.length - 1], { type: 'copyJson', callId: CALL_ID, seq: 7 });
    await assertClean(o);
  });

  test('batched updates append only the new entries and refresh the header and phases', async () => {
    const o = await openTimeline();
    const { page } = o;
    const sync = new TimelineSync(CALL_ID, () => T0 + 55_000);
    await send(page, sync.snapshot(liveTransferCall(5)));
    await page.locator('.entries .entry').nth(4).waitFor();
    assert.equal(await page.locator('.state .state-text').textContent(), 'Waiting in queue');
    // Expanded rows stay expanded across updates (rows are appended, not rebuilt).
    await page.locator('.entry').nth(1).locator('.entry-toggle').click();

    const update = sync.update(liveTransferCall(9));
    assert.equal(update?.type, 'update');
    assert.equal(update?.type === 'update' && update.entries.length, 4);
    await send(page, update);
    await page.locator('.entries .entry').nth(8).waitFor();
    assert.equal(await page.locator('.entries .entry').count(), 9);
    assert.equal(await page.locator('.state .state-text').textContent(), 'Talking');
    assert.match((await page.locator('.facts').innerText()), /Current agent\s+Ben/);
    assert.equal(await page.locator('.phase-bar .seg.ongoing').getAttribute('data-kind'), 'talk');
    assert.equal(await page.locator('.entry').nth(1).locator('.entry-toggle').getAttribute('aria-expanded'), 'true');

    await send(page, sync.update(endedTransferCall()));
    await page.locator('.entries .entry').nth(18).waitFor();
    assert.deepEqual(await page.locator('.entry').evaluateAll((els) => els.map((e) => Number((e as unknown as El).getAttribute('data-seq')))), [...Array(19).keys()]);
    assert.equal(await page.locator('.state .state-text').textContent(), 'Ended');
    assert.equal(await page.locator('.phase-bar .seg.ongoing').count(), 0);
    await assertClean(o);
  });

  test('entries dropped by the cap: "N earlier entries not kept" where the gap is, and removed rows go', async () => {
    const o = await openTimeline({ call: 'big-1' });
    const { page } = o;
    const sync = new TimelineSync('big-1');
    await send(page, sync.snapshot(bigCall(8, 10)));
    await page.locator('.entries .entry').nth(7).waitFor();
    assert.equal(await page.locator('.dropped-note').count(), 0);
    await send(page, sync.update(bigCall(13, 10)));
    await page.locator('.dropped-note').waitFor();
    assert.equal(await page.locator('.dropped-note').textContent(), '3 earlier entries not kept');
    const order = await page.locator('.entries .entry, .entries .dropped-note').evaluateAll((els) => els.map((e) => (e as unknown as El).getAttribute('data-seq') ?? 'note'));
    assert.deepEqual(order, ['0', '1', 'note', '5', '6', '7', '8', '9', '10', '11', '12']);
    await assertClean(o);
  });

  test('rows come in chunks of at most 25, in seq order; the cap empties and removes chunks, new rows fill the last', async () => {
    const o = await openTimeline({ call: 'big-1' });
    const { page } = o;
    type Chunks = { rows: string[] }[];
    const chunks = (): Promise<Chunks> => page.locator('.entries > li.entry-chunk').evaluateAll((els) => els.map((chunk) => ({
      rows: Array.from((chunk as unknown as { querySelectorAll(s: string): ArrayLike<El> }).querySelectorAll('.entry, .dropped-note'))
        .map((e) => e.getAttribute('data-seq') ?? 'note'),
    })));
    const sync = new TimelineSync('big-1');
    await send(page, sync.snapshot(bigCall(30, 30)));
    await page.locator('.entries .entry').nth(29).waitFor();
    const seqs = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    assert.deepEqual(await chunks(), [{ rows: seqs(0, 24) }, { rows: seqs(25, 29) }]);
    // 40 more: the cap keeps the first few and the newest, so the second chunk empties and goes.
    const capped = bigCall(70, 30);
    const kept = capped.timeline.map((e) => e.seq);
    const gap = kept.findIndex((seq, i) => seq !== i);
    assert.ok(gap > 0 && kept.includes(69) && !kept.some((seq) => seq >= 25 && seq <= 29), `kept: ${kept.join(' ')}`);
    await send(page, sync.update(capped));
    await page.locator('.dropped-note').waitFor();
    const after = await chunks();
    assert.deepEqual(after.flatMap((c) => c.rows), [...kept.slice(0, gap).map(String), 'note', ...kept.slice(gap).map(String)]);
    assert.ok(after.every((c) => c.rows.length > 0 && c.rows.filter((r) => r !== 'note').length <= 25), JSON.stringify(after));
    // A small update goes into the last chunk while it has room.
    const last = after[after.length - 1].rows.length;
    await send(page, sync.update(bigCall(71, 30)));
    await page.locator('.entries .entry[data-seq="70"]').waitFor();
    const grown = await chunks();
    if (last < 25) {
      assert.equal(grown.length, after.length);
      assert.equal(grown[grown.length - 1].rows.at(-1), '70');
    }
    assert.equal(await page.locator('.entries .entry').count(), 30);
    await assertClean(o);
  });

  test('500 entries render, with the JSON built only for the row that is expanded', async () => {
    const o = await openTimeline({ call: 'big-1' });
    const { page } = o;
    await send(page, new TimelineSync('big-1').snapshot(bigCall(500)));
    await page.locator('.entries .entry').nth(499).waitFor();
    assert.equal(await page.locator('.entries .entry').count(), 500);
    assert.equal(await page.locator('pre.json').count(), 0);
    const big = bigCall(500);
    await page.locator('.entry').nth(499).locator('.entry-toggle').click();
    assert.equal(await page.locator('pre.json').count(), 1);
    await answerDocument(page, big, 0, 'big-1');
    await page.locator('pre.json[aria-busy="false"]').waitFor();
    assert.match((await page.locator('pre.json').textContent()) ?? '', /"counter": 499/);
    // An entry the cap has dropped since the snapshot: the host answers without a document, and the row says so.
    await page.locator('.entry').nth(0).locator('.entry-toggle').click();
    await page.waitForFunction(() => (globalThis as unknown as PageWindow).__posted.filter((m) => m.type === 'showDocument').length > 1);
    await send(page, { type: 'document', callId: 'big-1', seq: 0 });
    await page.locator('.entry').nth(0).locator('pre.json[aria-busy="false"]').waitFor();
    assert.match((await page.locator('.entry').nth(0).locator('pre.json').textContent()) ?? '', /no longer kept/);
    // An answer for another call or a row never expanded changes nothing.
    await send(page, { type: 'document', callId: 'other', seq: 499, json: 'wrong' });
    await send(page, { type: 'document', callId: 'big-1', seq: 7, json: 'wrong' });
    assert.match((await page.locator('.entry').nth(499).locator('pre.json').textContent()) ?? '', /"counter": 499/);
    assert.equal(await page.locator('.entry').nth(7).locator('pre.json').count(), 0);
    await assertClean(o);
  });

  test('a call that is no longer in memory says so, and shows up when it comes back', async () => {
    const o = await openTimeline();
    const { page } = o;
    const sync = new TimelineSync(CALL_ID);
    await send(page, sync.snapshot(undefined));
    await page.locator('.status.missing').waitFor();
    assert.match((await page.locator('#app').innerText()), /no longer in memory/);
    assert.match((await page.locator('#app').innerText()), new RegExp(CALL_ID));
    await send(page, sync.update(endedTransferCall()));
    await page.locator('.entries .entry').nth(18).waitFor();
    assert.equal(await page.locator('.status.missing').count(), 0);
    await assertClean(o);
  });

  test('hostile feed text shows literally and runs nothing', async () => {
    const hostileId = '"><script>window.__pwned=3</script><img src=x onerror=window.__pwned=4>';
    const o = await openTimeline({ call: hostileId });
    const { page } = o;
    assert.deepEqual(await posted(page), [{ type: 'ready', callId: hostileId }], 'the call id survives the HTML escaping intact');
    const record = hostileCall();
    const snapshot = new TimelineSync(record.id, () => T0 + 12_000).snapshot(record);
    await send(page, { ...snapshot, callId: hostileId });
    await page.locator('.entries .entry').nth(3).waitFor();
    assert.equal(await page.locator('h1.number').textContent(), HOSTILE.script);
    assert.match((await page.locator('.facts').textContent()) ?? '', new RegExp(HOSTILE.img.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok(((await page.locator('.entry-desc').allTextContents()).join('\n')).includes(`entered queue ${HOSTILE.img}`));
    const facts = (await page.locator('.facts').textContent()) ?? '';
    assert.ok(facts.includes(HOSTILE.rtl.replace(/[\u202c\u202e]/g, '')), 'the name is kept as text');
    assert.ok(!/[\u202c\u202e]/.test(facts), 'without its direction controls');
    assert.ok(await page.locator('.facts bdi').count() > 0, 'names are bidi-isolated');
    // Entry descriptions and changed paths carry feed text too; each sits in its own bidi isolate.
    const isolation = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<object> } }).document;
      const style = (globalThis as unknown as { getComputedStyle(e: object): { unicodeBidi: string } }).getComputedStyle;
      return [...Array.from(doc.querySelectorAll('.entry-desc')), ...Array.from(doc.querySelectorAll('.entry-changed .path'))].map((e) => style(e).unicodeBidi);
    });
    assert.ok(isolation.length > 4, 'descriptions and paths were rendered');
    assert.deepEqual([...new Set(isolation)], ['isolate'], 'every description and path is bidi-isolated');
    // Expand the calls document with the 10 kB field and the markup key.
    await page.locator('.entry').nth(3).locator('.entry-toggle').click();
    await answerDocument(page, record, 0, hostileId);
    await page.locator('pre.json[aria-busy="false"]').waitFor();
    const json = (await page.locator('pre.json').textContent()) ?? '';
    assert.ok(json.includes(HOSTILE.long));
    assert.ok(json.includes(JSON.stringify(HOSTILE.img)));
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 1, 'only the bundle');
    await assertClean(o);
  });

  test('names from the hostile corpus stay text: no element from them, no control or direction characters, long names cut', async () => {
    const record = corpusCall();
    const o = await openTimeline({ call: record.id });
    const { page } = o;
    await send(page, new TimelineSync(record.id, () => T0 + 12_000).snapshot(record));
    await page.locator('.entries .entry').nth(3).waitFor();
    const shown = await page.evaluate(() => {
      type Node = { nodeType: number; nodeValue: string | null; childNodes: ArrayLike<Node>; localName?: string; className?: string; attributes?: ArrayLike<{ value: string }> };
      const doc = (globalThis as unknown as { document: { title: string; getElementById(id: string): Node } }).document;
      const texts: string[] = [];
      const attrs: string[] = [];
      const tags = new Set<string>();
      // A loop, not a named helper: functions passed to the page are serialized without the test's module helpers.
      const stack: Node[] = [doc.getElementById('app')];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.nodeType === 3) texts.push(n.nodeValue ?? '');
        if (n.nodeType !== 1 || n.className === 'json') continue; // the JSON view shows the document as it came
        tags.add(n.localName ?? '');
        for (const a of Array.from(n.attributes ?? [])) attrs.push(a.value);
        stack.push(...Array.from(n.childNodes));
      }
      return { texts, attrs, tags: [...tags], title: doc.title };
    });
    for (const text of [...shown.texts, ...shown.attrs, shown.title]) {
      assert.ok(!FORBIDDEN_CHARACTERS.test(text), `a control or direction character shown: ${JSON.stringify(text.slice(0, 120))}`);
    }
    for (const tag of ['img', 'a', 'script', 'iframe']) assert.ok(!shown.tags.includes(tag), `no <${tag}> from feed text`);
    assert.ok(Math.max(...shown.texts.map((t) => t.length)) <= TEXT_CAPS.webview, 'the 10 kB name is cut');
    assert.ok(shown.texts.some((t) => t.startsWith('Support WWW') && t.endsWith('…')), 'and shown cut, with an ellipsis');
    assert.equal(await page.locator('h1.number').textContent(), `+4670${COMMAND_LINK}`, 'the number is text, without its U+202E');
    assert.equal(shown.title, `Call +4670${COMMAND_LINK}`.slice(0, 5 + TEXT_CAPS.panelTitle - 1) + '…');
    // The JSON view shows the agents document whole, with its direction and control characters as escapes.
    await page.locator('.entry').nth(2).locator('.entry-toggle').click();
    await answerDocument(page, record, 0);
    await page.locator('pre.json[aria-busy="false"]').waitFor();
    const json = (await page.locator('pre.json').textContent()) ?? '';
    assert.ok(!FORBIDDEN_CHARACTERS.test(json.replace(/\n/g, ' ')), 'the JSON view reads in order');
    assert.deepEqual(JSON.parse(json), record.timeline[2].document);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageWindow).__pwned), undefined);
    assert.equal(await page.locator('script').count(), 1, 'only the bundle');
    await assertClean(o);
  });

  test('the CSP is exactly the strict policy, with a fresh nonce per render, and it is enforced', async () => {
    const a = await openTimeline();
    const b = await openTimeline();
    const read = (p: Page): Promise<[string | null, string | null]> => p.evaluate(() => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return [
        doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
        doc.querySelector('meta[property="csp-nonce"]')?.getAttribute('content') ?? null,
      ];
    });
    const [cspA, nonceA] = await read(a.page);
    const [, nonceB] = await read(b.page);
    assert.ok(nonceA && nonceA.length >= 16 && nonceB && nonceA !== nonceB, 'a new nonce for every render');
    assert.ok(nonces.includes(nonceA));
    assert.equal(cspA, `default-src 'none'; style-src ${origin} 'nonce-${nonceA}'; font-src ${origin}; img-src ${origin}; script-src 'nonce-${nonceA}'`);
    assert.ok(!cspA?.includes('unsafe-inline') && !cspA?.includes('unsafe-eval'));
    await assertClean(a);
    await assertClean(b);
    // The listener really sees violations: an inline script without the nonce is refused and reported.
    await a.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { textContent: string }; body: { append(n: unknown): void } } }).document;
      const s = doc.createElement('script');
      s.textContent = 'window.__pwned = 5';
      doc.body.append(s);
    });
    await a.page.waitForFunction(() => (globalThis as unknown as PageWindow).__violations.length > 0);
    assert.match((await violations(a.page))[0], /^script-src/);
    assert.equal(await a.page.evaluate(() => (globalThis as unknown as PageWindow).__pwned), undefined);
    a.problems.length = 0; // the refusal is also logged to the console, on purpose here
  });

  test('screenshot of a live call (ongoing phase, current queue and agent)', async () => {
    const o = await openTimeline({ theme: 'dark' });
    const { page } = o;
    await send(page, new TimelineSync(CALL_ID, () => T0 + 80_000).snapshot(liveTransferCall(9)));
    await page.locator('.entries .entry').nth(8).waitFor();
    assert.equal(await page.locator('.phase-bar .seg.ongoing').count(), 1);
    assert.match(await page.locator('.facts').innerText(), /Current queue\s+Support/);
    // Counted on the host's clock (the fixture's), not the page's: 30 s after Ben answered, give or take a tick.
    assert.match((await page.locator('.state').textContent()) ?? '', /^Talking for 3\d s$/);
    await page.screenshot({ path: join(RESULTS, 'timeline-dark-live.png') });
    await assertClean(o);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    test(`screenshot in the ${theme} theme`, async () => {
      const o = await openTimeline({ theme });
      const { page } = o;
      const record = endedTransferCall();
      await send(page, new TimelineSync(CALL_ID).snapshot(record));
      await page.locator('.entries .entry').nth(18).waitFor();
      await page.locator('.entry').nth(6).locator('.entry-toggle').click();
      // The expanded row as a user sees it a moment later: with the document the extension sent.
      await answerDocument(page, record, 0, CALL_ID);
      await page.locator('.entry').nth(6).locator('pre.json[aria-busy="false"]').waitFor();
      await page.locator('.entry').nth(6).locator('.entry-toggle').focus();
      assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { body: { className: string } } }).document.body.className), `vscode-${theme}`);
      const file = join(RESULTS, `timeline-${theme}.png`);
      await page.screenshot({ path: file });
      assert.ok(statSync(file).size > 10_000);
      // Refresh the committed README screenshots only when asked (they are reviewed by eye first).
      if (process.env.UPDATE_SCREENSHOTS === '1' && theme !== 'high-contrast') {
        mkdirSync(join(ROOT, 'media', 'screenshots'), { recursive: true });
        copyFileSync(file, join(ROOT, 'media', 'screenshots', `timeline-${theme}.png`));
      }
      await assertClean(o);
    });
  }
});
