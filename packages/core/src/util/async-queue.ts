/**
 * A push-to-pull bridge: a producer that is told of things (a change feed, a socket, a timer) pushes
 * them, a `for await` loop pulls them in order. Unbounded by itself: the producer decides what a
 * consumer that falls behind costs (`size` says how far behind it is).
 *
 * The loop ends when the producer calls `end()` (after the items already pushed), or at once, with
 * the error, on `end(error)`. `return()` (a `break` out of the loop) drops what is queued; either way
 * `onClose` runs exactly once, so the producer can let go of what it holds (a subscription, a timer).
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  #items: T[] = [];
  #head = 0;
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #onClose: (() => void) | undefined;

  constructor(onClose?: () => void) {
    this.#onClose = onClose;
  }

  /** How many pushed items are not yet pulled. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Whether `end()` or `return()` was called: pushes are ignored from then on. */
  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting.resolve({ value: item, done: false });
      return;
    }
    this.#items.push(item);
  }

  /** No more items: the loop ends after the queued ones, or with `error` at once when one is given. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) {
      this.#failure = { error };
      this.#drop();
    }
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) {
      if (this.#failure === undefined) waiting.resolve({ value: undefined, done: true });
      else {
        waiting.reject(this.#failure.error);
        this.#failure = undefined;
      }
    }
    this.#close();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as T;
      this.#head += 1;
      // Compact now and then, so a long-lived queue does not keep every item it ever held.
      if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#failure !== undefined) {
      const { error } = this.#failure;
      this.#failure = undefined;
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiting !== undefined) {
      return Promise.reject(new Error("AsyncQueue: next() called again before the last call settled"));
    }
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** The consumer is done (`break`, or an error in its loop): what is queued is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.#failure = undefined;
    this.#drop();
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #drop(): void {
    this.#items = [];
    this.#head = 0;
  }

  #close(): void {
    const onClose = this.#onClose;
    this.#onClose = undefined;
    onClose?.();
  }
}
