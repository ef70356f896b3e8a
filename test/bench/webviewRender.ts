// Timeline render time in headless Chromium: the page from the extension's own HTML builder (timelineHtml, strict
// CSP) with the built webview bundle and stylesheet, served on loopback; a snapshot of a call with 500 timeline
// entries (generator documents through the real decoder, CallStore and TimelineSync) is posted to the page.
// Measured inside the page: from postMessage to the first frame after the last entry is in the DOM.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { decodeFrame } from '../../src/core/decoder';
import type { CallRecord } from '../../src/core/model';
import { CallStore } from '../../src/core/store';
import { TimelineSync } from '../../src/core/timelineView';
import type { CallsDocument, FeedDocument, FeedName } from '../../src/core/types';
import type { HostToWebviewMessage } from '../../src/shared/messages';
import { JourneyGenerator, type SimEvent, type SimJourney } from '../../src/simulator/generator';
import { createNonce, timelineHtml } from '../../src/vscode/timelineHtml';
import { ensureBuilt, launchChromium, REPO_ROOT } from '../harness/prerequisites.mjs';
import { BENCH_SEED } from './frames';
import { median } from './stats';

export const WEBVIEW_ENTRIES = 500;
const RUNS = 5;

/** A call with exactly WEBVIEW_ENTRIES timeline entries: a real journey, its calls document re-sent with growing durations. */
export function timelineSnapshot(): Extract<HostToWebviewMessage, { type: 'snapshot' }> {
  const generator = new JourneyGenerator({ seed: BENCH_SEED + 3 });
  let journey: SimJourney = generator.next(Date.UTC(2026, 0, 5, 10));
  // The richest of a few journeys (most documents), so every feed and entry kind shows.
  for (let i = 1; i < 40; i++) {
    const j = generator.next(Date.UTC(2026, 0, 5, 10) + i * 60_000);
    if (j.events.length > journey.events.length) journey = j;
  }
  const last = journey.events.length - 1;
  const ending = journey.events.filter((e) => e.at === journey.events[last].at);
  const before = journey.events.slice(0, journey.events.length - ending.length);
  const lastCalls = [...before].reverse().find((e) => e.feed === 'calls')?.doc as CallsDocument | undefined;
  if (!lastCalls) throw new Error('webview: journey without a calls document');
  // Unchanged re-sends are not timeline entries, so the fill is adjusted until the count is exact.
  let fill = WEBVIEW_ENTRIES - before.length - ending.length;
  for (let attempt = 0; ; attempt++) {
    const built = buildCall(journey, before, ending, lastCalls, fill);
    const count = built.record?.timeline.length ?? 0;
    if (count === WEBVIEW_ENTRIES || attempt === 3) return snapshotOf(journey.idCall, built);
    fill += WEBVIEW_ENTRIES - count;
  }
}

interface BuiltCall { store: CallStore; record: CallRecord | undefined; clock: number }

function buildCall(journey: SimJourney, before: SimEvent[], ending: SimEvent[], lastCalls: CallsDocument, fill: number): BuiltCall {
  let clock = journey.startAt;
  const store = new CallStore({ now: () => clock });
  const ingest = (feed: FeedName, doc: FeedDocument, at: number): void => {
    clock = at;
    const decoded = decodeFrame(JSON.stringify(doc), feed);
    if (!decoded.ok) throw new Error(`webview: generator document rejected (${decoded.reason})`);
    store.ingest(decoded.value, at);
  };
  for (const e of before) ingest(e.feed, e.doc, e.at);
  // One update a second (a long talk), each with the call's total so far.
  let at = before[before.length - 1]?.at ?? journey.startAt;
  for (let k = 1; k <= fill; k++) {
    at += 1000;
    ingest('calls', { ...lastCalls, duration: { ...lastCalls.duration, total: Math.round((at - journey.startAt) / 1000) } }, at);
  }
  for (const e of ending) ingest(e.feed, e.doc, Math.max(e.at, at + 1000));
  return { store, record: store.getCall(journey.idCall), clock };
}

function snapshotOf(callId: string, built: BuiltCall): Extract<HostToWebviewMessage, { type: 'snapshot' }> {
  const { record, clock } = built;
  const message = new TimelineSync(callId, () => clock).snapshot(record);
  if (message.type !== 'snapshot' || message.entries.length !== WEBVIEW_ENTRIES) {
    throw new Error(`webview: the snapshot has ${message.type === 'snapshot' ? message.entries.length : 0} entries, expected ${WEBVIEW_ENTRIES}`);
  }
  return message;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the page and the two built assets; the page's CSP source is this origin. */
function serve(callId: string, missing: string[]): Promise<{ server: Server; url: string }> {
  const assets: Record<string, string> = {
    '/timeline.js': join(REPO_ROOT, 'dist', 'webview', 'timeline.js'),
    '/timeline.css': join(REPO_ROOT, 'media', 'timeline.css'),
  };
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      const html = timelineHtml({ cspSource: origin, scriptUri: `${origin}/timeline.js`, styleUri: `${origin}/timeline.css`, nonce: createNonce(), callId });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (assets[path]) {
      res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] }).end(readFileSync(assets[path]));
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      missing.push(path);
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` });
  }));
}

/** Stands in for the VS Code webview API; records what the page posts (it says `ready` once it listens). */
const API_SHIM = `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => {
  let state;
  return { postMessage: (m) => window.__posted.push(m), getState: () => state, setState: (s) => { state = s; return s; } };
};`;

/**
 * Runs in the page (plain JS: the host tsconfig has no DOM types): post the snapshot, then check in each animation
 * frame's callbacks whether the last entry is in the DOM. The frame whose callbacks first find it is the frame that
 * renders it: a message posted from there arrives once that frame's style, layout and paint are done. The figure
 * stops there. `nextFrameMs` also waits for the frame after (what this bench measured until 2026-12-03, one vsync
 * more than the render), so the two definitions can be compared on the same loads.
 */
const RENDER_IN_PAGE = `async ({ message, lastSeq }) => {
  const selector = 'li.entry[data-seq="' + lastSeq + '"]';
  const started = performance.now();
  const afterThisFrame = () => new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now() - started);
    channel.port2.postMessage(0);
  });
  const rendered = new Promise((done, fail) => {
    const check = () => {
      if (document.querySelector(selector)) {
        // Still inside the rendering frame's callbacks.
        const ms = afterThisFrame();
        const next = new Promise((after) => requestAnimationFrame(() => afterThisFrame().then(after)));
        done(Promise.all([ms, next]));
      } else if (performance.now() - started > 10000) fail(new Error('the last timeline entry never appeared'));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  window.postMessage(message, '*');
  const [ms, nextFrameMs] = await rendered;
  return { ms, nextFrameMs, rows: document.querySelectorAll('li.entry').length };
}`;

export interface WebviewResult {
  medianMs: number;
  all: number[];
  /** Median of the same loads measured to the end of the following frame. */
  nextFrameMedianMs: number;
  runs: number;
  entries: number;
  snapshotKb: number;
}

export async function measureWebviewRender(): Promise<WebviewResult> {
  await ensureBuilt();
  const message = timelineSnapshot();
  const lastSeq = message.entries[message.entries.length - 1].seq;
  const missing: string[] = [];
  const { server, url } = await serve(message.callId, missing);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    await page.addInitScript(API_SHIM);
    const times: number[] = [];
    const nextFrame: number[] = [];
    // One warm-up load (Chromium's caches), then RUNS measured loads of a fresh page.
    for (let i = 0; i <= RUNS; i++) {
      await page.goto(url);
      await page.waitForFunction("window.__posted.some((m) => m && m.type === 'ready')");
      const r = await page.evaluate<{ ms: number; nextFrameMs: number; rows: number }>(`(${RENDER_IN_PAGE})(${JSON.stringify({ message, lastSeq })})`);
      if (r.rows !== WEBVIEW_ENTRIES) throw new Error(`webview: ${r.rows} entries in the DOM, expected ${WEBVIEW_ENTRIES}`);
      problems.push(...(await page.evaluate<string[]>('window.__violations')).map((v) => `CSP violation: ${v}`));
      if (i > 0) {
        times.push(r.ms);
        nextFrame.push(r.nextFrameMs);
      }
    }
    if (problems.length) throw new Error(`webview: ${problems.slice(0, 3).join(' | ')}${missing.length ? ` (not found: ${missing.join(', ')})` : ''}`);
    return { medianMs: median(times), all: times, nextFrameMedianMs: median(nextFrame), runs: RUNS, entries: WEBVIEW_ENTRIES, snapshotKb: JSON.stringify(message).length / 1024 };
  } finally {
    await browser?.close();
    await new Promise((done) => server.close(done));
  }
}
