// The timeline: one row per document in arrival order. Rows are built in a DocumentFragment; a row's JSON
// is asked of the host when the row is first expanded (entries arrive without their documents), so 500
// entries render quickly. One delegated listener serves every row (toggle, copy, arrow-key moves).
import type { TimelineEntryDto } from '../src/shared/messages';
import { clockOf, formatDuration } from '../src/shared/format';
import { h, isolated, short } from './dom';
import { badge, button, tag, TAGS } from './toolkit';

/** How many changed paths a collapsed row names before "+N more". */
const INLINE_CHANGED = 6;

/**
 * Rows per chunk. Each chunk is one content-visibility box (media/timeline.css): the first layout of a 500-entry
 * timeline places 20 boxes instead of 500, and the rows of chunks far off screen are neither styled nor laid out.
 * The chunks are presentational (role none), so the timeline is still one list of rows for assistive technology.
 */
const CHUNK_ROWS = 25;

interface Row {
  entry: TimelineEntryDto;
  li: HTMLLIElement;
  /** The row's body (actions and JSON view), made when the row is first expanded. */
  body?: HTMLElement;
  /** The JSON view in the body; filled when the host's answer arrives. */
  pre?: HTMLElement;
}

/** What the list asks of the page: copy a row's document, fetch one for an expanded row. */
export interface TimelineListActions {
  copy(seq: number): void;
  needDocument(seq: number): void;
}

/** The row's clock text (local, tenths of a second) and its ISO `datetime`, from one Date. */
function receiveTimes(ms: number): { clock: string; iso: string } {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return { clock: clockOf(d), iso: '' };
  return { clock: `${clockOf(d)}.${String(Math.floor(Math.abs(ms) % 1000 / 100))}`, iso: d.toISOString() };
}

/**
 * The changed line's fixed pieces, made once and cloned for each row like the row itself (a snapshot has 500 rows,
 * and h() with attributes costs several times a clone). A changed path is a `<code dir="auto">`: it isolates the
 * path as a <bdi> would (an RTL key can't flip its neighbours), in one element.
 */
let changedPieces: { readonly label: Node; readonly fresh: Node; readonly none: Node; readonly path: Node } | undefined;

function pieces(): NonNullable<typeof changedPieces> {
  return changedPieces ??= {
    label: h('span', { class: 'changed-label', text: 'changed:' }),
    fresh: h('span', { class: 'new', text: 'new' }),
    none: h('span', { class: 'none', text: 'no field changed' }),
    path: h('code', { class: 'path', attrs: { dir: 'auto' } }),
  };
}

function pathCode(path: string, max: number): HTMLElement {
  const code = pieces().path.cloneNode(false) as HTMLElement;
  code.textContent = short(path, max);
  return code;
}

/**
 * The row prototype's changed line is the usual shape, "changed: <path>": most rows fill that one path (a re-send
 * with one new value) and make nothing. Other shapes replace or extend it.
 */
function fillChanged(wrap: HTMLElement, entry: TimelineEntryDto): void {
  const p = pieces();
  if (entry.first) {
    wrap.replaceChildren(p.fresh.cloneNode(true), ` ${entry.changed.length} fields`);
    return;
  }
  if (entry.changed.length === 0) {
    wrap.replaceChildren(p.none.cloneNode(true));
    return;
  }
  (wrap.lastChild as HTMLElement).textContent = short(entry.changed[0], 60);
  const shown = Math.min(entry.changed.length, INLINE_CHANGED);
  for (let i = 1; i < shown; i++) wrap.append(' ', pathCode(entry.changed[i], 60));
  const more = entry.changed.length - INLINE_CHANGED;
  if (more > 0) wrap.append(h('span', { class: 'more', text: ` +${more} more` }));
}

/** The toolkit's tag with the 'feed' class, for the prototype (a row adds its feed's class). */
function feedTag(): HTMLElement {
  const el = tag('');
  el.classList.add('feed');
  return el;
}

/**
 * The collapsed row's fixed structure, built once: each row is a deep clone with its texts and attributes filled
 * in, as one native clone costs far less than a dozen createElement/setAttribute calls (a snapshot has 500 rows).
 * It holds only what a collapsed row shows (the chevron is the toggle's ::before), with the usual changed line; the body
 * is made on first expand.
 */
function rowPrototype(): HTMLLIElement {
  return h('li', { class: 'entry', attrs: { role: 'listitem' } },
    h('button', { class: 'entry-toggle', attrs: { type: 'button', 'aria-expanded': 'false' } },
      h('time', { class: 'entry-time' }),
      h('span', { class: 'entry-offset' }),
      feedTag(),
      isolated('', 'entry-desc')),
    h('div', { class: 'entry-changed' }, pieces().label.cloneNode(true), ' ', pieces().path.cloneNode(false)));
}

export class TimelineList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly rows = new Map<number, Row>();
  private droppedNote: HTMLLIElement | undefined;
  private dropped = 0;
  private startedAt = 0;
  private prototype: HTMLLIElement | undefined;
  /** The last chunk's list of rows, where new rows go while it has room. */
  private lastChunk: HTMLOListElement | undefined;

  constructor(private readonly actions: TimelineListActions) {
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
    this.lastChunk = undefined;
    this.startedAt = startedAt;
    this.append(entries, [], dropped);
  }

  append(entries: readonly TimelineEntryDto[], removed: readonly number[], dropped: number): void {
    for (const seq of removed) {
      const row = this.rows.get(seq);
      if (row) this.detach(row.li);
      this.rows.delete(seq);
    }
    // New chunks are filled in a fragment and join the page together; the last chunk takes rows while it has room.
    const fragment = document.createDocumentFragment();
    let chunk = this.lastChunk;
    let room = chunk ? CHUNK_ROWS - chunk.childElementCount : 0;
    for (const entry of entries) {
      if (this.rows.has(entry.seq)) continue; // a resent entry must not show twice
      const row: Row = { entry, li: this.renderRow(entry) };
      this.rows.set(entry.seq, row);
      if (!chunk || room <= 0) {
        fragment.append(chunkItem(chunk = chunkRows()));
        room = CHUNK_ROWS;
      }
      chunk.append(row.li);
      room--;
    }
    this.lastChunk = chunk;
    this.list.append(fragment);
    this.dropped = dropped;
    this.placeDroppedNote();
    this.count.textContent = String(this.rows.size);
  }

  private renderRow(entry: TimelineEntryDto): HTMLLIElement {
    const seq = String(entry.seq);
    const li = (this.prototype ??= rowPrototype()).cloneNode(true) as HTMLLIElement;
    li.className = `entry feed-${entry.feed}`;
    li.setAttribute('data-seq', seq);
    // Walk the clone by sibling links (an HTMLCollection's iterator or index costs more, 500 times over).
    const toggle = li.firstElementChild as HTMLElement;
    toggle.setAttribute('data-seq', seq);
    const time = toggle.firstElementChild as HTMLElement;
    const offset = time.nextElementSibling as HTMLElement;
    const feed = offset.nextElementSibling as HTMLElement;
    const desc = feed.nextElementSibling as HTMLElement;
    const times = receiveTimes(entry.receivedAt);
    time.setAttribute('datetime', times.iso);
    time.textContent = times.clock;
    offset.textContent = `+${formatDuration(entry.receivedAt - this.startedAt)}`;
    // The prototype's classes (the toolkit's tag and 'feed') plus this feed's, in one write.
    feed.className = `${feed.className} feed-${entry.feed}`;
    feed.textContent = entry.feed;
    desc.textContent = short(entry.description, 200);
    if (entry.late) toggle.append(h('span', { class: 'late', text: 'late' }));
    fillChanged(toggle.nextElementSibling as HTMLElement, entry);
    return li;
  }

  /** The JSON and the full changed list, built on first expand only. */
  private renderBody(row: Row, toggle: Element): HTMLElement {
    if (row.body) return row.body;
    const bodyId = `entry-${row.entry.seq}-body`;
    const body = h('div', { class: 'entry-body', id: bodyId, attrs: { hidden: '' } });
    toggle.setAttribute('aria-controls', bodyId);
    const copy = button('Copy JSON', { secondary: true, title: 'Copy this document as pretty JSON' });
    copy.classList.add('copy-json');
    copy.setAttribute('data-copy', String(row.entry.seq));
    const actions = h('div', { class: 'entry-actions' }, copy);
    if (!row.entry.first && row.entry.changed.length > INLINE_CHANGED) {
      const all = h('p', { class: 'changed-all' }, h('span', { class: 'changed-label', text: 'All changed fields:' }));
      for (const path of row.entry.changed) all.append(' ', pathCode(path, 120));
      actions.append(all);
    }
    const pre = h('pre', {
      class: 'json',
      attrs: { tabindex: '0', 'aria-label': `Document ${row.entry.seq} as JSON`, 'aria-busy': 'true' },
      text: 'Loading the document…',
    });
    row.pre = pre;
    row.body = body;
    body.append(actions, pre);
    row.li.append(body);
    this.actions.needDocument(row.entry.seq);
    return body;
  }

  /** The host's answer for an expanded row: its pretty JSON, or nothing when the cap has dropped the entry. */
  showDocument(seq: number, json: string | undefined): void {
    const pre = this.rows.get(seq)?.pre;
    if (!pre) return;
    pre.textContent = json ?? 'This document is no longer kept: the timeline\'s cap has dropped it.';
    pre.setAttribute('aria-busy', 'false');
  }

  private setExpanded(row: Row, expanded: boolean): void {
    const toggle = row.li.querySelector('.entry-toggle');
    if (!toggle) return;
    const body = expanded ? this.renderBody(row, toggle) : row.body;
    if (!body) return;
    toggle.setAttribute('aria-expanded', String(expanded));
    body.hidden = !expanded;
    row.li.classList.toggle('expanded', expanded);
  }

  private onClick(event: Event): void {
    const target = event.target as Element | null;
    const copy = target?.closest(`${TAGS.button}[data-copy]`);
    if (copy) {
      const seq = Number(copy.getAttribute('data-copy'));
      if (Number.isInteger(seq)) this.actions.copy(seq);
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

  /** Takes a row or the note out of its chunk, and the chunk out of the list once it holds nothing. */
  private detach(item: Element): void {
    const chunk = item.parentElement;
    item.remove();
    if (!chunk || chunk.childElementCount > 0) return;
    chunk.parentElement?.remove();
    if (chunk === this.lastChunk) this.lastChunk = undefined;
  }

  /** "N earlier entries not kept" sits where the gap is: after the first entry, before the next kept one. */
  private placeDroppedNote(): void {
    if (this.droppedNote) this.detach(this.droppedNote);
    this.droppedNote = undefined;
    if (this.dropped <= 0) return;
    const note = h('li', { class: 'dropped-note', attrs: { role: 'note' }, text: `${this.dropped} earlier ${this.dropped === 1 ? 'entry' : 'entries'} not kept` });
    this.droppedNote = note;
    // Rows are kept in arrival order, which is seq order: the gap is before the first row that breaks the run.
    let prevSeq: number | undefined;
    for (const { entry, li } of this.rows.values()) {
      if ((prevSeq === undefined && entry.seq !== 0) || (prevSeq !== undefined && entry.seq !== prevSeq + 1)) {
        li.before(note);
        return;
      }
      prevSeq = entry.seq;
    }
    if (!this.lastChunk) this.list.append(chunkItem(this.lastChunk = chunkRows()));
    this.lastChunk.append(note);
  }
}

/** A chunk's own list of rows; presentational, like the item that holds it. */
function chunkRows(): HTMLOListElement {
  return h('ol', { class: 'entry-chunk-rows', attrs: { role: 'none' } });
}

function chunkItem(rows: HTMLOListElement): HTMLLIElement {
  return h('li', { class: 'entry-chunk', attrs: { role: 'none' } }, rows);
}
