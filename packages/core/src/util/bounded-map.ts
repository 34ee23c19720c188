/**
 * A Map with a fixed number of entries; past it, the least recently set entry goes first. For memos
 * and per-caller state fed by request text (route matches, host checks, encoded runs, rate-limit
 * buckets, page tokens): memory stays flat however many distinct keys arrive, hostile ones included.
 * `set` of an existing key makes it the most recent, so setting again on use gives LRU order.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores `value` as the most recent entry, evicting the oldest when full. */
  set(key: K, value: V): this {
    if (!this.#entries.delete(key) && this.#entries.size >= this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** The values, oldest first. */
  values(): IterableIterator<V> {
    return this.#entries.values();
  }
}
