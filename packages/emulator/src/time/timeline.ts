// The emulator's agenda: every state change that depends on time (a termination completing, the demo's
// next tick) is an event due at a clock time. Events are applied in (due time, scheduling order), each
// at its own due time, never at the time someone happened to look. That is what makes the world a
// function of the clock: whether a timer fired at the due time or a call caught up hours later, the
// same events run in the same order with the same times.
//
// A binary min-heap: peeking at the earliest event is O(1), so a call with nothing due pays almost
// nothing; scheduling and popping are O(log n) in the number of pending events (a handful).

/**
 * What an event does. `atMs` is its due time: the "now" it must use for what it writes. `nowMs` is the
 * clock reading of the catch-up running it, for the rare decision that depends on how late it runs
 * (the demo skipping a long idle stretch).
 */
export type EventAction = (atMs: number, nowMs: number) => void;

/** A scheduled event; pass it to `cancel`. */
export interface TimelineEvent {
  readonly dueMs: number;
}

interface Entry extends TimelineEvent {
  readonly seq: number;
  readonly action: EventAction;
  /** Cancelled events stay in the heap until they reach the top (lazy deletion: no O(n) search). */
  cancelled: boolean;
}

export class Timeline {
  private readonly heap: Entry[] = [];
  private nextSeq = 0;

  /** Schedules `action` at `dueMs`; events with equal due times run in the order they were scheduled. */
  schedule(dueMs: number, action: EventAction): TimelineEvent {
    const entry: Entry = { dueMs, seq: this.nextSeq++, action, cancelled: false };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    return entry;
  }

  cancel(event: TimelineEvent): void {
    (event as Entry).cancelled = true;
    this.dropCancelled();
  }

  /** The due time of the earliest pending event, if any. */
  get nextDueMs(): number | undefined {
    return this.heap[0]?.dueMs;
  }

  /**
   * Removes and returns the earliest event if it is due at `nowMs` (due time ≤ now). Events an action
   * schedules are considered too, so one call to a loop of `takeDue` reaches a fixed point.
   */
  takeDue(nowMs: number): { dueMs: number; action: EventAction } | undefined {
    const top = this.heap[0];
    if (top === undefined || top.dueMs > nowMs) return undefined;
    this.pop();
    this.dropCancelled();
    return top;
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled === true) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private before(a: Entry, b: Entry): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private siftUp(at: number): void {
    const heap = this.heap;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(heap[at]!, heap[parent]!)) return;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let first = at;
      if (left < heap.length && this.before(heap[left]!, heap[first]!)) first = left;
      if (right < heap.length && this.before(heap[right]!, heap[first]!)) first = right;
      if (first === at) return;
      [heap[at], heap[first]] = [heap[first]!, heap[at]!];
      at = first;
    }
  }
}
