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

  has(key: string): boolean {
    return this.set ? this.set.has(key) : key === this.one || (this.two !== undefined && key === this.two);
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const k of this) callback.call(thisArg, k, k, this);
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
