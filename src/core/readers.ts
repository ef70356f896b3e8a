// Readers of values nobody vouches for (a document's fields, a call's facts): each gives the value when it has the
// named shape, else undefined. One reader per meaning; the decoder's converting rules are in decode/values.ts and the
// frame scanner's byte parsers in scan/.

export type Json = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a plain object (not null, not an array). */
export function obj<T extends object = Json>(value: unknown): T | undefined {
  return isRecord(value) ? (value as T) : undefined;
}

/** A finite number. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A non-empty string, or a finite number as text (an id or name some feeds send as a number). */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return str(value);
}

/** Any string, the empty one too (facts keep a normalised document's texts as they are, as the frame scanner does). */
export function anyString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Any number (facts keep a normalised document's numbers as they are, as the frame scanner does). */
export function anyNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
