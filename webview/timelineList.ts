// The timeline: one row per document in arrival order. Rows are built in a DocumentFragment and the JSON
// is only pretty-printed when a row is first expanded, so 500 entries render quickly. One delegated
// listener serves every row (toggle, copy, arrow-key moves).
import type { TimelineEntryDto } from '../src/shared/messages';
import { formatClock, formatDuration } from '../src/core/format';
import { h, isolated, short } from './dom';
import { badge, button, tag, TAGS } from './toolkit';

/** How many changed paths a collapsed row names before "+N more". */
const INLINE_CHANGED = 6;

interface Row { entry: TimelineEntryDto; li: HTMLLIElement; rendered: boolean }

function receiveTime(ms: number): string {
  return `${formatClock(ms)}.${String(Math.floor(Math.abs(ms) % 1000 / 100))}`;
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function changedSummary(entry: TimelineEntryDto): HTMLElement {
  const wrap = h('div', { class: 'entry-changed' });
  if (entry.first) {
    wrap.append(h('span', { class: 'new', text: 'new' }), ` ${entry.changed.length} fields`);
    return wrap;
  }
  if (entry.changed.length === 0) {
    wrap.append(h('span', { class: 'none', text: 'no field changed' }));
    return wrap;
  }
  wrap.append(h('span', { class: 'changed-label', text: 'changed:' }));
  for (const path of entry.changed.slice(0, INLINE_CHANGED)) wrap.append(' ', h('code', { class: 'path' }, isolated(short(path, 60))));
  const more = entry.changed.length - INLINE_CHANGED;
  if (more > 0) wrap.append(h('span', { class: 'more', text: ` +${more} more` }));
  return wrap;
}

export class TimelineList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly rows = new Map<number, Row>();
  private droppedNote: HTMLLIElement | undefined;
  private dropped = 0;
  private startedAt = 0;

  constructor(private readonly onCopy: (seq: number) => void) {
    this.count = badge('0');
    this.list = h('ol', { class: 'entries', attrs: { 'aria-label': 'Documents received, oldest first' } });
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.list.addEventListener('keydown', (e) => this.onKeyDown(e));
    this.element = h('section', { class: 'timeline', attrs: { 'aria-labelledby': 'timeline-heading' } },
      h('h2', { id: 'timeline-heading' }, 'Timeline ', this.count),
      this.list);
  }

  reset(entries: readonly TimelineEntryDto[], dropped: number, startedAt: number): void {
    this.rows.clear();
    this.list.textContent = '';
    this.droppedNote = undefined;
    this.startedAt = startedAt;
    this.append(entries, [], dropped);
  }

  append(entries: readonly TimelineEntryDto[], removed: readonly number[], dropped: number): void {
    for (const seq of removed) {
      this.rows.get(seq)?.li.remove();
      this.rows.delete(seq);
    }
    const fragment = document.createDocumentFragment();
    for (const entry of entries) {
      if (this.rows.has(entry.seq)) continue; // a resent entry must not show twice
      const row: Row = { entry, li: this.renderRow(entry), rendered: false };
      this.rows.set(entry.seq, row);
      fragment.append(row.li);
    }
    this.list.append(fragment);
    this.dropped = dropped;
    this.placeDroppedNote();
    this.count.textContent = String(this.rows.size);
  }

  private renderRow(entry: TimelineEntryDto): HTMLLIElement {
    const bodyId = `entry-${entry.seq}-body`;
    const offset = entry.receivedAt - this.startedAt;
    const toggle = h('button', { class: 'entry-toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': bodyId, 'data-seq': String(entry.seq) } },
      h('span', { class: 'chevron', attrs: { 'aria-hidden': 'true' } }),
      h('time', { class: 'entry-time', attrs: { datetime: isoTime(entry.receivedAt) }, text: receiveTime(entry.receivedAt) }),
      h('span', { class: 'entry-offset', text: `+${formatDuration(offset)}` }),
      h('span', { class: `feed feed-${entry.feed}` }, tag(entry.feed)),
      h('span', { class: 'entry-desc' }, isolated(short(entry.description, 200))),
      entry.late ? h('span', { class: 'late', text: 'late' }) : undefined);
    const li = h('li', { class: `entry feed-${entry.feed}`, attrs: { 'data-seq': String(entry.seq) } },
      toggle,
      changedSummary(entry),
      h('div', { class: 'entry-body', id: bodyId, attrs: { hidden: '' } }));
    return li;
  }

  /** The JSON and the full changed list, built on first expand only. */
  private renderBody(row: Row): void {
    const body = row.li.querySelector('.entry-body');
    if (!body || row.rendered) return;
    row.rendered = true;
    const copy = button('Copy JSON', { secondary: true, title: 'Copy this document as pretty JSON' });
    copy.classList.add('copy-json');
    copy.setAttribute('data-copy', String(row.entry.seq));
    const actions = h('div', { class: 'entry-actions' }, copy);
    if (!row.entry.first && row.entry.changed.length > INLINE_CHANGED) {
      const all = h('p', { class: 'changed-all' }, h('span', { class: 'changed-label', text: 'All changed fields:' }));
      for (const path of row.entry.changed) all.append(' ', h('code', { class: 'path' }, isolated(short(path, 120))));
      actions.append(all);
    }
    let json: string;
    try {
      json = JSON.stringify(row.entry.document, null, 2) ?? 'undefined';
    } catch {
      json = '(this document cannot be shown as JSON)';
    }
    const pre = h('pre', { class: 'json', attrs: { tabindex: '0', 'aria-label': `Document ${row.entry.seq} as JSON` } });
    pre.textContent = json;
    body.append(actions, pre);
  }

  private setExpanded(row: Row, expanded: boolean): void {
    const toggle = row.li.querySelector('.entry-toggle');
    const body = row.li.querySelector<HTMLElement>('.entry-body');
    if (!toggle || !body) return;
    if (expanded) this.renderBody(row);
    toggle.setAttribute('aria-expanded', String(expanded));
    body.hidden = !expanded;
    row.li.classList.toggle('expanded', expanded);
  }

  private onClick(event: Event): void {
    const target = event.target as Element | null;
    const copy = target?.closest(`${TAGS.button}[data-copy]`);
    if (copy) {
      const seq = Number(copy.getAttribute('data-copy'));
      if (Number.isInteger(seq)) this.onCopy(seq);
      return;
    }
    const toggle = target?.closest('.entry-toggle');
    if (!toggle) return;
    const row = this.rows.get(Number(toggle.getAttribute('data-seq')));
    if (row) this.setExpanded(row, toggle.getAttribute('aria-expanded') !== 'true');
  }

  /** Up/Down/Home/End move between rows, like a list. */
  private onKeyDown(event: KeyboardEvent): void {
    const current = (event.target as Element | null)?.closest('.entry-toggle');
    if (!current) return;
    const toggles = [...this.list.querySelectorAll<HTMLElement>('.entry-toggle')];
    const i = toggles.indexOf(current as HTMLElement);
    const next = event.key === 'ArrowDown' ? toggles[i + 1] : event.key === 'ArrowUp' ? toggles[i - 1]
      : event.key === 'Home' ? toggles[0] : event.key === 'End' ? toggles[toggles.length - 1] : undefined;
    if (!next) return;
    event.preventDefault();
    next.focus();
  }

  /** "N earlier entries not kept" sits where the gap is: after the first entry, before the next kept one. */
  private placeDroppedNote(): void {
    this.droppedNote?.remove();
    this.droppedNote = undefined;
    if (this.dropped <= 0) return;
    const note = h('li', { class: 'dropped-note', attrs: { role: 'note' }, text: `${this.dropped} earlier ${this.dropped === 1 ? 'entry' : 'entries'} not kept` });
    let before: Element | null = this.list.firstElementChild;
    let prevSeq: number | undefined;
    for (const li of this.list.children) {
      const seq = Number(li.getAttribute('data-seq'));
      if ((prevSeq === undefined && seq !== 0) || (prevSeq !== undefined && seq !== prevSeq + 1)) {
        before = li;
        break;
      }
      prevSeq = seq;
      before = li.nextElementSibling;
    }
    this.list.insertBefore(note, before);
    this.droppedNote = note;
  }
}
