// Text from the network made safe for each kind of surface that shows it. Feed names, numbers, outcome reasons
// and close reasons are untrusted: they must not reorder what surrounds them, form links or icons, or grow
// without bound. Host and webview both use this file, so it imports nothing from the project.

/** Caps per surface: long enough for any real name, short enough that a 10 kB one can't swamp the surface. */
export const TEXT_CAPS = {
  treeLabel: 80,
  treeDescription: 40,
  notification: 80,
  /** A whole notification that quotes network text (a close reason of up to 123 bytes, say). */
  notificationMessage: 400,
  markdown: 200,
  quickPick: 80,
  quickPickDetail: 200,
  panelTitle: 40,
  webview: 160,
} as const;

/**
 * Direction controls: ALM, LRM, RLM, the embeddings and overrides (U+202A-U+202E) and the isolates
 * (U+2066-U+2069). Removed: a U+202E in a name would otherwise reverse the label, message or title around it.
 */
const DIRECTION_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** C0 and C1 controls, DEL, and the line and paragraph separators. Every surface here is one line: each becomes a space. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** `$(name)` is icon syntax in status bar text, quick picks and theme-icon Markdown; `$ (` is never read as one. */
const ICON_START = /\$\(/g;
/** Every ASCII punctuation character, each escapable in CommonMark. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** Work on at most this many times the cap: cleaning only ever shortens text, so more would be cut anyway. */
const SCAN_FACTOR = 4;

function isDirectionControl(c: number): boolean {
  return c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** Whitespace that `\s` matches other than the plain space (so a run of it collapses to one space). */
function isOtherSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** True when `s` is already one trimmed line with single spaces, no control characters, within `max` (no work then). */
function isClean(s: string, max: number): boolean {
  const n = s.length;
  if (n > max) return false;
  let prevSpace = true; // a leading space is not clean
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || isOtherSpace(c) || isDirectionControl(c)) return false;
    const space = c === 0x20;
    if (space && prevSpace) return false;
    prevSpace = space;
  }
  return !prevSpace || n === 0;
}

function asText(text: unknown): string {
  if (typeof text === 'string') return text;
  return typeof text === 'number' && Number.isFinite(text) ? String(text) : '';
}

/** Cuts to `max` characters with an ellipsis, never between the halves of a surrogate pair. */
function cut(s: string, max: number, truncated: boolean): string {
  if (s.length <= max && !truncated) return s;
  let end = Math.min(s.length, Math.max(0, max - 1));
  const last = s.charCodeAt(end - 1);
  if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end).trimEnd()}…`;
}

/**
 * The base of every surface: one line without control characters or direction controls, whitespace runs
 * collapsed, trimmed, cut to `max` characters with an ellipsis. `rewrite` (a surface's own neutralising) runs
 * before the cut so the cap holds for the result. Non-text input (objects, NaN) gives ''.
 */
export function safeLine(text: unknown, max: number, rewrite?: (s: string) => string): string {
  const s = asText(text);
  if (rewrite === undefined && isClean(s, max)) return s; // the common case: tree rows call this per row
  const limit = max * SCAN_FACTOR + 16;
  const long = s.length > limit;
  let flat = (long ? s.slice(0, limit) : s).replace(DIRECTION_CONTROLS, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  if (rewrite !== undefined) flat = rewrite(flat);
  return cut(flat, max, long);
}

function noIcons(s: string): string {
  return s.replace(ICON_START, '$ (');
}

/** Square brackets become parentheses, so no `[label](target)` link (web or `command:`) can form; no icons. */
function noLinks(s: string): string {
  return noIcons(s.replace(/\[/g, '(').replace(/\]/g, ')'));
}

/** A tree item's label, or a piece of its description: plain text (VS Code renders neither Markdown nor icons there). */
export function treeText(text: unknown, max: number = TEXT_CAPS.treeLabel): string {
  return safeLine(text, max);
}

/**
 * Notification and status bar text: notifications turn `[label](https:…)` and `[label](command:…)` into links and the
 * status bar turns `$(name)` into an icon, so brackets become parentheses and icon syntax is broken up.
 */
export function plainText(text: unknown, max: number = TEXT_CAPS.notification): string {
  return safeLine(text, max, noLinks);
}

/**
 * A piece of an untrusted MarkdownString (tooltips): every ASCII punctuation character is backslash-escaped, so feed
 * text can't make links, autolinks, images, HTML, emphasis or headings; icon syntax is broken up first, for tooltips
 * that render theme icons. The cap counts the text before escaping.
 */
export function markdownText(text: unknown, max: number = TEXT_CAPS.markdown): string {
  return safeLine(text, max, noIcons).replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** A QuickPickItem's label, description or detail: VS Code renders `$(name)` icons in all three. */
export function quickPickText(text: unknown, max: number = TEXT_CAPS.quickPick): string {
  return safeLine(text, max, noIcons);
}

/** A webview panel's title (the editor tab): plain text. */
export function panelTitleText(text: unknown, max: number = TEXT_CAPS.panelTitle): string {
  return safeLine(text, max);
}

/** What JSON.stringify leaves raw that can still reorder or break what is shown: C1 controls, separators, direction controls. */
const JSON_INVISIBLES = /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A document as pretty-printed JSON for display (the webview's JSON view and its copy): the same JSON, with the
 * characters above written as `\uXXXX` escapes (they only occur inside strings), so the text reads in order.
 */
export function displayJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(JSON_INVISIBLES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text the webview writes through textContent (never markup): one line, no controls or direction controls, cut. */
export function webviewText(text: unknown, max: number = TEXT_CAPS.webview): string {
  return safeLine(text, max);
}
