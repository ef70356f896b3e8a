// The call's header: number, direction, state and outcome, queues and agents, key durations.
import type { CallSummaryDto } from '../src/shared/messages';
import { formatClock, formatDuration, formatSeconds } from '../src/shared/format';
import { h, isolated, short } from './dom';
import { tag } from './toolkit';

const STATE_TEXT: Record<CallSummaryDto['state'], string> = {
  ivr: 'In IVR', waiting: 'Waiting in queue', ringing: 'Ringing', dialling: 'Dialling', talking: 'Talking', ended: 'Ended',
};

function fact(label: string, value: Node | string | undefined): HTMLElement[] {
  const dd = h('dd');
  if (value === undefined || value === '') dd.append(h('span', { class: 'none', text: '—' }));
  else dd.append(typeof value === 'string' ? isolated(short(value)) : value);
  return [h('dt', { text: label }), dd];
}

/** "Support → Billing", or just "Support" when first and last are the same. */
function firstLast(first: string | undefined, last: string | undefined): Node | undefined {
  if (!first && !last) return undefined;
  const span = h('span', { class: 'first-last' });
  span.append(isolated(short(first ?? last ?? '')));
  if (last && first && last !== first) span.append(h('span', { class: 'arrow', text: ' → ' }), isolated(short(last)));
  return span;
}

/** How long the call has been in its state, "1:05": the host's figure plus the time since it arrived. */
export function sinceText(sinceMs: number, elapsedMs: number): string {
  return formatDuration(sinceMs + elapsedMs);
}

export function renderHeader(s: CallSummaryDto): HTMLElement {
  const live = s.state !== 'ended';
  const title = h('h1', { class: 'number' }, isolated(short(s.customerNumber ?? '', 60) || 'Unknown number'));
  const state = h('span', { class: `state state-${s.state}`, attrs: { 'data-state': s.state } },
    h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'state-text', text: STATE_TEXT[s.state] ?? short(s.state, 40) }));
  if (live && s.stateSince !== undefined) {
    // data-in-state: ms in the state when the host built this; the webview adds its own elapsed time each second.
    const inState = Math.max(0, (s.asOf ?? Date.now()) - s.stateSince);
    state.append(' for ', h('span', { class: 'since', attrs: { 'data-in-state': String(inState) }, text: sinceText(inState, 0) }));
  }
  const tags = h('div', { class: 'tags' }, tag(s.direction), s.internal ? tag('internal') : undefined);
  const titleRow = h('div', { class: 'title-row' }, title, tags, state,
    s.outcome ? h('span', { class: 'outcome', text: `Outcome: ${short(s.outcome, 80)}` }) : undefined,
    s.unconfirmed ? h('span', { class: 'unconfirmed', text: 'unconfirmed since the last reconnect', attrs: { title: 'No document has confirmed this call since the feed reconnected.' } }) : undefined);

  const facts = h('dl', { class: 'facts' });
  // "Current" only means something while the call is live; an ended call shows its first and last instead.
  if (live) facts.append(...fact('Current queue', s.currentQueue), ...fact('Current agent', s.currentAgent));
  facts.append(
    ...fact('Queues', firstLast(s.firstQueue, s.lastQueue)),
    ...fact('Agents', firstLast(s.firstAgent, s.lastAgent)),
    ...fact('Started', formatClock(s.startedAt)),
    ...fact('Ended', s.endedAt !== undefined ? formatClock(s.endedAt) : live ? 'still active' : undefined),
  );
  if (s.transfers) facts.append(...fact('Transfers', String(s.transfers)));

  const d = s.durations;
  const durations = h('dl', { class: 'durations', attrs: { 'aria-label': 'Durations' } });
  const rows: Array<[string, number | undefined]> = [
    ['Queue', d.queue], ['Ring', d.ring], ['Talk', d.talk], ['Hold', d.hold], ['Wait', d.wait], ['Total', d.total],
  ];
  for (const [label, value] of rows) {
    durations.append(h('div', { class: 'duration' },
      h('dt', { text: label }),
      h('dd', { text: value === undefined ? '—' : formatSeconds(value) })));
  }
  return h('header', { class: 'call-header' }, titleRow, facts, durations);
}
