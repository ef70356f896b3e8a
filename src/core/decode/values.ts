// Value readers for documents whose shapes nobody trusts: the decoder's rules for ids, flags, numbers and lists.

const NUMERIC_TEXT = /^-?\d{1,20}(\.\d{1,20})?$/;

/** `__proto__`, `constructor` or `prototype`: checked by length first, as almost every key fails that. */
export function isHostileKey(key: string): boolean {
  const n = key.length;
  return (n === 9 && (key === '__proto__' || key === 'prototype')) || (n === 11 && key === 'constructor');
}

/** 0/1/true/false -> 0|1; anything else -> undefined. */
export function normaliseFlag(value: unknown): 0 | 1 | undefined {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  return undefined;
}

/** A finite number, or a plain decimal numeric string converted; else undefined. */
export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A string id, or a finite number stringified; else undefined. */
export function normaliseId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A list of names: strings kept, numbers stringified, anything else left out. Copies only when needed. */
export function textList(list: unknown[]): string[] {
  let clean = true;
  for (const item of list) {
    if (typeof item !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return list as string[];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
  }
  return out;
}
