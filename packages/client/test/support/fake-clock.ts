import type { Clock } from "../../src/index.js";

/** A clock whose timers fire at once (on a microtask) and move time forward; it remembers every wait. */
export interface FakeClock extends Clock {
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  const cleared = new Set<unknown>();
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    setTimeout(callback, ms) {
      const handle = Symbol("timer");
      sleeps.push(ms);
      now += ms;
      queueMicrotask(() => {
        if (!cleared.delete(handle)) callback();
      });
      return handle;
    },
    clearTimeout(handle) {
      cleared.add(handle);
    },
  };
}
