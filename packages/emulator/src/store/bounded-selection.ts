// The k smallest items of a stream, by a comparator: a binary max-heap of at most k items, so each
// offer costs O(log k) and the memory is O(k) however long the stream. A listing in a non-default
// order selects its page (plus one, to know whether more follow) this way instead of sorting.

export class BoundedSelection<T> {
  // heap[0] is the largest item kept; each parent is not smaller than its children.
  private readonly heap: T[] = [];

  constructor(
    private readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** Keeps `item` if it is among the `capacity` smallest offered so far. */
  offer(item: T): void {
    const { heap } = this;
    if (heap.length < this.capacity) {
      heap.push(item);
      this.siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.compare(item, heap[0]!) < 0) {
      heap[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept items, smallest first. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  private siftUp(at: number): void {
    const { heap } = this;
    const item = heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.compare(item, heap[parent]!) <= 0) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = item;
  }

  private siftDown(at: number): void {
    const { heap } = this;
    const item = heap[at]!;
    const length = heap.length;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= length) break;
      if (child + 1 < length && this.compare(heap[child + 1]!, heap[child]!) > 0) child++;
      if (this.compare(heap[child]!, item) <= 0) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = item;
  }
}
