// Time is injected so that tests and the demo can run instantly and deterministically: nothing in the
// emulator reads Date.now() or calls setTimeout directly. The Clock type and the real clock are
// core's; the manual clock, which tests and the demo's fast-forward drive, is the emulator's.

import type { Clock } from "@jobrun/core";

/** A clock that moves only when told to: `advance(ms)` runs, in time order, every timer that falls due. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order (timers they set are fired too when due). */
  advance(ms: number): void;
  /** How many timers are waiting. */
  readonly pendingTimers: number;
}

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/** A manual clock starting at `startMs` (default 2025-01-01T00:00:00Z, so runs look plausible). */
export function createManualClock(startMs = Date.UTC(2025, 0, 1)): ManualClock {
  let nowMs = startMs;
  let nextId = 1;
  // Kept sorted by (dueMs, id) so equal deadlines fire in the order they were set.
  let timers: PendingTimer[] = [];
  return {
    now: () => nowMs,
    setTimeout(callback, ms) {
      const timer = { id: nextId++, dueMs: nowMs + Math.max(0, ms), callback };
      const at = timers.findIndex((t) => t.dueMs > timer.dueMs);
      if (at === -1) timers.push(timer);
      else timers.splice(at, 0, timer);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance(ms) needs a non-negative number, got ${ms}`);
      const target = nowMs + ms;
      for (;;) {
        const next = timers[0];
        if (next === undefined || next.dueMs > target) break;
        timers.shift();
        nowMs = next.dueMs;
        next.callback();
      }
      nowMs = target;
    },
    get pendingTimers() {
      return timers.length;
    },
  };
}
