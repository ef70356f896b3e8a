// An insertion-ordered set of strings for the store's change events that holds its first key in a field. Almost
// every change names one call, one queue group and one agent group, and the store makes three sets for every
// document it applies: a Set's hash table for a single key was a tenth of everything the ingest allocated.

export class KeySet implements ReadonlySet<string> {
  /** The only key, while there is one (empty: undefined). */
  private one: string | undefined;
  /** From the second key on. */
  private set: Set<string> | undefined;

  get size(): number {
    return this.set ? this.set.size : this.one === undefined ? 0 : 1;
  }

  add(key: string): this {
    if (this.set) this.set.add(key);
    else if (this.one === undefined) this.one = key;
    else if (this.one !== key) this.set = new Set([this.one, key]);
    return this;
  }

  has(key: string): boolean {
    return this.set ? this.set.has(key) : this.one === key;
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
    return this.one === undefined ? [] : [this.one];
  }
}
