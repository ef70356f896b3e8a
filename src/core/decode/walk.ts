// The decoder's normalisation, in place on the freshly parsed object (nobody else holds a reference to it yet):
// known fields by their schema rule, hostile keys deleted at every level, depth bounded, every dropped path noted.
import { hasOwn } from '../diff';
import { MAX_DEPTH, type Rule, type Schema } from './schema';
import { isRecord, type Json } from '../readers';
import { isHostileKey, normaliseFlag, normaliseId, textList, toFiniteNumber } from './values';

const DROP = Symbol('drop');

export class Walk {
  dropped: string[] | undefined;
  tooDeep = false;
  /** Keys from the document root to the object being walked; joined into a path only when something drops. */
  private readonly keys: string[] = [];

  /** Ready for the next document (one Walk serves every decode: it runs on every frame, and nothing in it calls out). */
  reset(): void {
    this.dropped = undefined;
    this.tooDeep = false;
    this.keys.length = 0;
  }

  /** Records `key` of the object being walked as dropped, with its dotted path. */
  drop(key: string): void {
    (this.dropped ??= []).push(this.keys.length === 0 ? key : `${this.keys.join('.')}.${key}`);
  }

  /** Walks an unknown subtree at `key` (push/pop inline, not a callback: a closure over loop variables would
   * make V8 allocate a context on every iteration of the loops below). */
  private sanitizeAt(key: string, value: unknown, depth: number): void {
    this.keys.push(key);
    this.sanitize(value, depth);
    this.keys.pop();
  }

  /** Unknown subtree: delete hostile keys, enforce the depth bound. */
  sanitize(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.tooDeep = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) this.sanitize(item, depth + 1);
        if (this.tooDeep) return;
      }
      return;
    }
    const o = value as Json;
    // for-in skips building a key array per object (this walk runs on every document); the own-property check
    // keeps keys that something else put on Object.prototype out of the walk, as Object.keys did.
    for (const key in o) {
      if (!hasOwn(o, key)) continue;
      if (isHostileKey(key)) {
        this.dropHostile(o, key);
        continue;
      }
      const item = o[key];
      if (typeof item === 'object' && item !== null) this.sanitizeAt(key, item, depth + 1);
      if (this.tooDeep) return;
    }
  }

  /** Removes a prototype-reaching key and records it. */
  dropHostile(o: Json, key: string): void {
    delete o[key];
    this.drop(key);
  }

  object(o: Json, rules: Schema, depth: number): void {
    for (const key in o) {
      if (!hasOwn(o, key)) continue;
      if (isHostileKey(key)) {
        this.dropHostile(o, key);
        continue;
      }
      const value = o[key];
      const rule = rules.get(key);
      if (rule === undefined) {
        if (typeof value === 'object' && value !== null) {
          this.sanitizeAt(key, value, depth + 1);
          if (this.tooDeep) return;
        }
        continue;
      }
      const next = this.apply(rule, value, key, depth + 1);
      if (next === DROP) {
        delete o[key];
        this.drop(key);
      } else if (next !== value) {
        o[key] = next;
      }
    }
  }

  apply(rule: Rule, value: unknown, key: string, depth: number): unknown {
    switch (rule) {
      case 'id':
      case 'text':
        if (typeof value === 'string') return value;
        return normaliseId(value) ?? DROP;
      case 'flag':
        return normaliseFlag(value) ?? DROP;
      case 'ts':
      case 'num':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        return toFiniteNumber(value) ?? DROP;
      case 'numOrText':
        return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : DROP;
      case 'list':
        return Array.isArray(value) ? textList(value) : DROP;
      default:
        if (isRecord(value)) {
          this.keys.push(key);
          this.object(value, rule.obj, depth);
          this.keys.pop();
          return value;
        }
        return rule.orNum ? toFiniteNumber(value) ?? DROP : DROP;
    }
  }
}

/** The one walk every decode uses (nothing in it calls out, so decodes never overlap). */
export const WALK = new Walk();
