/**
 * A small memo with a fixed number of entries; past it, the oldest entry goes first. For results of
 * pure functions of request text (route matching, name validation, host checks) that repeat across
 * requests: memory stays flat however many distinct inputs arrive, hostile ones included.
 */
export class BoundedMemo<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, value);
  }
}
