// Tiny DOM builder. Every piece of text goes in through textContent, never innerHTML: feed values are
// untrusted (names, numbers and unknown fields can hold markup).
import { webviewText } from '../src/shared/sanitize';

type Child = Node | string | undefined | null | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; id?: string; attrs?: Record<string, string>; text?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  if (props.text !== undefined) el.textContent = props.text;
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Bidi isolation for untrusted text: an RTL override inside a name can't flip the text around it. */
export function isolated(text: string, className?: string): HTMLElement {
  return h('bdi', { class: className, text });
}

/**
 * Feed text for one-line places: without control characters or direction controls (a U+202E can't reverse the
 * header), cut when very long (the full value stays in the JSON view).
 */
export function short(text: string, max?: number): string {
  return webviewText(text, max);
}
