// An insertion-ordered set of strings for the store's change events that holds its first two keys in fields. Almost
// every change names one call, one queue group and one or two agent groups (the call's agents before and after the
// document), and the store makes three sets for every document it applies: a Set's hash table for a key or two was
// a tenth of everything the ingest allocated.

export class KeySet implements ReadonlySet<string> {
  /** The first key, while there are at most two (empty: undefined). */
  private one: string | undefined;
  /** The second key, while there are two. */
  private two: string | undefined;
  /** From the third key on (then it holds every key). */
  private set: Set<string> | undefined;

  get size(): number {
    return this.set ? this.set.size : this.one === undefined ? 0 : this.two === undefined ? 1 : 2;
  }

  add(key: string): this {
    if (this.set) this.set.add(key);
    else if (this.one === undefined) this.one = key;
    else if (this.one === key || this.two === key) return this;
    else if (this.two === undefined) this.two = key;
    else this.set = new Set([this.one, this.two, key]);
    return this;
  }

  /** Empties the set (its owner reuses it). */
  clear(): void {
    this.one = this.two = undefined;
    this.set = undefined;
  }

  has(key: string): boolean {
    return this.set ? this.set.has(key) : key === this.one || (this.two !== undefined && key === this.two);
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const k of this) callback.call(thisArg, k, k, this);
  }

  /** Whether `other` has one of the keys, making no iterator. */
  anyIn(other: { has(key: string): boolean }): boolean {
    if (this.set) {
      for (const k of this.set) if (other.has(k)) return true;
      return false;
    }
    return (this.one !== undefined && other.has(this.one)) || (this.two !== undefined && other.has(this.two));
  }

  /** Adds every key to `target`, making no iterator (a listener merging every change into its own sets). */
  addTo(target: Set<string>): void {
    if (this.set) {
      for (const k of this.set) target.add(k);
      return;
    }
    if (this.one !== undefined) target.add(this.one);
    if (this.two !== undefined) target.add(this.two);
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  values(): SetIterator<string> {
    return this.set ? this.set.values() : this.list().values();
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  entries(): SetIterator<[string, string]> {
    return this.set ? this.set.entries() : this.list().map((k): [string, string] => [k, k]).values();
  }

  private list(): string[] {
    return this.one === undefined ? [] : this.two === undefined ? [this.one] : [this.one, this.two];
  }
}

/** Adds every key of `keys` to `target`: without an iterator when `keys` is a KeySet (as the store's changes are). */
export function addKeys(target: Set<string>, keys: ReadonlySet<string>): void {
  if (keys instanceof KeySet) keys.addTo(target);
  else for (const k of keys) target.add(k);
}

/** Whether `other` has one of the keys of `keys`: without an iterator when `keys` is a KeySet. */
export function anyKeyIn(keys: ReadonlySet<string>, other: { has(key: string): boolean }): boolean {
  if (keys instanceof KeySet) return keys.anyIn(other);
  for (const k of keys) if (other.has(k)) return true;
  return false;
}
