// Feed text made safe to show: one plain line, escaped markdown, notification text. Durations and times are in
// src/shared/format.ts.

const MAX_TEXT = 200;

/** True when `s` is already one trimmed line with single spaces, no control characters, within `max`. */
function isClean(s: string, max: number): boolean {
  const n = s.length;
  if (n > max) return false;
  let prevSpace = true; // a leading space is not clean
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f) return false;
    const space = c === 0x20;
    if (space && prevSpace) return false;
    prevSpace = space;
  }
  return !prevSpace || n === 0;
}

/**
 * Makes feed text safe to show as one plain line: control characters and line breaks become spaces,
 * runs of whitespace collapse, and long text is cut (feed fields are untrusted and unbounded).
 */
export function oneLine(text: unknown, max = MAX_TEXT): string {
  const s = typeof text === 'string' ? text : typeof text === 'number' && Number.isFinite(text) ? String(text) : '';
  if (isClean(s, max)) return s; // the common case, without regex work (tree rows call this per row)
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Escapes text for an untrusted MarkdownString: every ASCII punctuation character gets a backslash
 * (CommonMark allows escaping any of them), so feed text can't make links, images, HTML, emphasis or
 * `$(icon)` syntax. Also flattened to one line.
 */
export function escapeMarkdown(text: unknown, max = MAX_TEXT): string {
  return oneLine(text, max).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * Plain text for notification messages. VS Code renders `[label](target)` in notifications as a link, so
 * square brackets from the feed become parentheses; everything else stays readable.
 */
export function plainText(text: unknown, max = 80): string {
  return oneLine(text, max).replace(/\[/g, '(').replace(/\]/g, ')');
}
