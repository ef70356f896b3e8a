// Dotted leaf paths of documents, and the paths that differ between two documents. Computed once per accepted
// document (an empty diff against the latest document for the same key is how duplicates are spotted).

/** Deeper than this, a subtree counts as one leaf (the decoder already rejects deeper frames). */
const MAX_DEPTH = 40;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

/** Own property (not inherited): walks over JSON must not see keys another module put on Object.prototype. */
export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Joined paths are interned: documents repeat the same few hundred paths, and every timeline entry keeps its
 * changed paths, so sharing the strings saves both garbage and retained memory. Bounded: once full, new paths
 * are simply not cached.
 */
const INTERN_MAX = 20_000;
const interned = new Map<string, Map<string, string>>();
let internedCount = 0;

function join(prefix: string, key: string): string {
  if (prefix === '') return key;
  let byKey = interned.get(prefix);
  let path = byKey?.get(key);
  if (path !== undefined) return path;
  path = `${prefix}.${key}`;
  if (internedCount < INTERN_MAX) {
    if (!byKey) interned.set(prefix, (byKey = new Map()));
    byKey.set(key, path);
    internedCount++;
  }
  return path;
}

/** Every leaf path of `value` ("time.start", "agent_list.0"); an empty object or array is a leaf itself. */
export function leafPaths(value: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (isContainer(value) && depth < MAX_DEPTH) {
    if (Array.isArray(value)) {
      if (value.length === 0 && prefix !== '') out.push(prefix);
      for (let i = 0; i < value.length; i++) leafPaths(value[i], join(prefix, String(i)), out, depth + 1);
      return out;
    }
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix !== '') out.push(prefix);
    for (const k of keys) leafPaths(value[k], join(prefix, k), out, depth + 1);
    return out;
  }
  if (prefix !== '') out.push(prefix);
  return out;
}

/** Leaf paths that were added, removed or changed from `a` to `b` (removed leaves are listed too). */
export function diffPaths(a: unknown, b: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (a === b) return out;
  const ac = isContainer(a);
  const bc = isContainer(b);
  if (ac && bc && Array.isArray(a) === Array.isArray(b) && depth < MAX_DEPTH) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if ((a.length === 0) !== (b.length === 0) && prefix !== '') out.push(prefix);
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        if (i < a.length && i < b.length && a[i] === b[i]) continue;
        const p = join(prefix, String(i));
        if (i >= a.length) leafPaths(b[i], p, out, depth + 1);
        else if (i >= b.length) leafPaths(a[i], p, out, depth + 1);
        else diffPaths(a[i], b[i], p, out, depth + 1);
      }
      return out;
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const bKeys = Object.keys(bo);
    const aKeys = Object.keys(ao);
    if ((aKeys.length === 0) !== (bKeys.length === 0) && prefix !== '') out.push(prefix);
    for (const k of bKeys) {
      const bv = bo[k];
      const av = ao[k];
      // Most leaves are unchanged: skip them before building any path string.
      if (av === bv && (av !== undefined || hasOwn(ao, k))) continue;
      if (hasOwn(ao, k)) diffPaths(av, bv, join(prefix, k), out, depth + 1);
      else leafPaths(bv, join(prefix, k), out, depth + 1);
    }
    for (const k of aKeys) if (!hasOwn(bo, k)) leafPaths(ao[k], join(prefix, k), out, depth + 1);
    return out;
  }
  // A leaf changed, or the shape changed (leaf <-> object, object <-> array): list both sides' leaves.
  if (!ac && !bc) {
    if (prefix !== '') out.push(prefix);
    return out;
  }
  const start = out.length;
  if (ac) leafPaths(a, prefix, out, depth);
  if (bc) leafPaths(b, prefix, out, depth);
  if (!ac || !bc) out.push(prefix);
  // Both sides may name the same path: keep each once.
  if (out.length - start > 1) {
    const unique = [...new Set(out.slice(start))];
    out.length = start;
    out.push(...unique);
  }
  return out;
}

/**
 * Structural equality of two JSON values (key order ignored). Stops at the first difference, so a real change
 * costs a few comparisons; used to spot a re-sent document whose text differs but whose content does not.
 */
export function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b) || depth >= MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // for-in, not Object.keys: no key arrays on a path that runs for every document of a known key.
  let n = 0;
  for (const k in bo) {
    if (!hasOwn(bo, k)) continue;
    n++;
    if (!hasOwn(ao, k) || !sameJson(ao[k], bo[k], depth + 1)) return false;
  }
  for (const k in ao) if (hasOwn(ao, k)) n--;
  return n === 0;
}
