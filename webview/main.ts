// Timeline webview entry point. Protocol: say `ready` (with the call id kept in setState), receive a
// snapshot, then batched updates with only new entries; `missing` while the store doesn't have the call.
// An expanded row asks for its document (`showDocument`) and shows the `document` answer.
// Unknown or malformed messages are ignored.
import type { CallSummaryDto, HostToWebviewMessage, PhaseSegment } from '../src/shared/messages';
import { isHostToWebviewMessage } from '../src/shared/messages';
import { panelTitleText } from '../src/shared/sanitize';
import { h, isolated, short } from './dom';
import { renderHeader, sinceText } from './header';
import { renderPhases } from './phaseBar';
import { TimelineList } from './timelineList';
import { divider, progressRing, registerComponents } from './toolkit';
import { post, saveCallId, savedCallId } from './vscodeApi';

type CallMessage = Extract<HostToWebviewMessage, { type: 'snapshot' | 'update' }>;

function wellFormed(m: HostToWebviewMessage): boolean {
  if (m.type === 'missing') return true;
  if (m.type === 'document') return typeof m.seq === 'number' && (m.json === undefined || typeof m.json === 'string');
  return Array.isArray(m.entries) && Array.isArray(m.phases) && typeof m.summary === 'object' && m.summary !== null
    && typeof m.dropped === 'number' && (m.type === 'snapshot' || m.removed === undefined || Array.isArray(m.removed));
}

class TimelineApp {
  private callId: string | undefined;
  private list: TimelineList | undefined;
  private headerSlot: HTMLElement | undefined;
  private phasesSlot: HTMLElement | undefined;
  private phases: PhaseSegment[] = [];
  private phasesAt = 0;
  private lastState: CallSummaryDto['state'] | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly announcer = h('div', { class: 'visually-hidden', attrs: { 'aria-live': 'polite', role: 'status' } });

  constructor(private readonly root: HTMLElement) {
    this.callId = savedCallId() ?? (document.querySelector('meta[name="stream-liner-call"]')?.getAttribute('content') || undefined);
    if (this.callId) saveCallId(this.callId);
    document.body.append(this.announcer);
    this.showStatus('Loading the call…', true);
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    post(this.callId ? { type: 'ready', callId: this.callId } : { type: 'ready' });
  }

  private receive(data: unknown): void {
    if (!isHostToWebviewMessage(data) || !wellFormed(data)) return;
    if (this.callId !== undefined && data.callId !== this.callId) return;
    if (this.callId === undefined) {
      this.callId = data.callId;
      saveCallId(data.callId);
    }
    if (data.type === 'document') this.list?.showDocument(data.seq, data.json);
    else if (data.type === 'missing') this.showMissing(data.callId);
    else if (data.type === 'snapshot') this.showCall(data);
    else if (this.list) this.applyUpdate(data);
    // An update before any snapshot has nothing to apply to; the snapshot that follows `ready` brings it all.
  }

  private showStatus(text: string, busy: boolean): void {
    this.stopTicker();
    this.list = undefined;
    this.root.textContent = '';
    this.root.setAttribute('aria-busy', String(busy));
    this.root.append(h('div', { class: 'status' }, busy ? progressRing(text) : undefined, h('p', { text })));
  }

  private showMissing(callId: string): void {
    this.showStatus('', false);
    this.root.textContent = '';
    this.root.append(h('div', { class: 'status missing' },
      h('h1', { text: 'Call no longer in memory' }),
      h('p', {}, 'Call ', h('code', {}, isolated(short(callId, 80))), ' is no longer in memory: it ended a while ago, or the feeds were cleared.'),
      h('p', { class: 'hint', text: 'This panel will show the call again if a new document for it arrives.' })));
    this.announce('The call is no longer in memory.');
  }

  private showCall(m: CallMessage): void {
    this.root.textContent = '';
    this.root.setAttribute('aria-busy', 'false');
    this.headerSlot = h('div', { class: 'header-slot' });
    this.phasesSlot = h('div', { class: 'phases-slot' });
    this.list = new TimelineList({
      copy: (seq) => {
        if (this.callId) post({ type: 'copyJson', callId: this.callId, seq });
      },
      needDocument: (seq) => {
        if (this.callId) post({ type: 'showDocument', callId: this.callId, seq });
      },
    });
    this.root.append(
      this.headerSlot,
      divider(),
      h('section', { class: 'phases', attrs: { 'aria-labelledby': 'phases-heading' } }, h('h2', { id: 'phases-heading', text: 'Journey' }), this.phasesSlot),
      divider(),
      this.list.element,
    );
    this.lastState = undefined;
    this.renderTop(m);
    this.list.reset(m.entries, m.dropped, m.summary.startedAt);
  }

  private applyUpdate(m: CallMessage): void {
    this.renderTop(m);
    this.list?.append(m.entries, m.type === 'update' ? m.removed ?? [] : [], m.dropped);
  }

  private renderTop(m: CallMessage): void {
    this.headerSlot?.replaceChildren(renderHeader(m.summary));
    this.phases = m.phases;
    this.phasesAt = performance.now();
    this.phasesSlot?.replaceChildren(renderPhases(this.phases));
    if (this.lastState !== undefined && this.lastState !== m.summary.state) this.announce(`Call state: ${m.summary.state}.`);
    this.lastState = m.summary.state;
    document.title = `Call ${panelTitleText(m.summary.customerNumber) || panelTitleText(m.callId)}`;
    if (m.summary.state === 'ended') this.stopTicker();
    else this.ticker ??= setInterval(() => this.tick(), 1000);
  }

  /** Lets the ongoing phase and the "for 0:42" counter grow between host messages. */
  private tick(): void {
    if (!this.phasesSlot) return;
    if (this.phases.some((p) => p.ongoing)) this.phasesSlot.replaceChildren(renderPhases(this.phases, (performance.now() - this.phasesAt) / 1000));
    const elapsed = performance.now() - this.phasesAt;
    for (const el of this.root.querySelectorAll<HTMLElement>('[data-in-state]')) {
      el.textContent = sinceText(Number(el.dataset.inState), elapsed);
    }
  }

  private stopTicker(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }
}

registerComponents();
const root = document.getElementById('app');
if (root) new TimelineApp(root).start();
