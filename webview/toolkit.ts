// The ONLY module that knows the component library. @vscode/webview-ui-toolkit is deprecated upstream; to
// move to @vscode-elements/elements later, change this file alone: the register call, the tag names and
// the attributes each factory sets. The rest of the webview builds these elements through the factories
// below and otherwise uses plain DOM.
//
// Why badge() and tag() are plain spans: the toolkit's vscode-badge and vscode-tag share FAST's Badge
// template, which has a `style="${...}"` binding. Parsing that template puts an inline style attribute in
// the page, and our CSP (no 'unsafe-inline') refuses it with a style-src-attr violation on every load.
// The spans use the same --vscode-badge-* colours (media/timeline.css, .tk-badge / .tk-tag).
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

/** Registers just the components this webview uses (smaller bundle, fewer style insertions). */
export function registerComponents(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());
}

/** Tag names, for CSS-free queries in tests and code (`button` is a real focusable control). */
export const TAGS = {
  button: 'vscode-button',
  divider: 'vscode-divider',
  progressRing: 'vscode-progress-ring',
} as const;

export function button(label: string, options: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const el = document.createElement(TAGS.button);
  if (options.secondary) el.setAttribute('appearance', 'secondary');
  if (options.title) el.setAttribute('title', options.title);
  el.textContent = label;
  return el;
}

/** A count badge (e.g. the number of timeline entries). */
export function badge(text: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'tk-badge';
  el.textContent = text;
  return el;
}

/** A small uppercase label (feed name, direction). */
export function tag(text: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'tk-tag';
  el.textContent = text;
  return el;
}

export function divider(): HTMLElement {
  const el = document.createElement(TAGS.divider);
  el.setAttribute('role', 'presentation');
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement(TAGS.progressRing);
  el.setAttribute('aria-label', label);
  return el;
}
