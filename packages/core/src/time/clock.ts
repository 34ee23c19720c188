// Time is injected so that tests and the demo can run instantly and deterministically: code that
// takes a Clock never reads Date.now() or calls setTimeout directly.

import { setLongTimeout } from "../long-timeout.js";

/** A source of time and timers: the client's retries and token caches, the emulator, the TUI. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` after `ms` milliseconds; returns a handle for clearTimeout. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: Date.now and the runtime's timers (Node, Workers, Deno, Bun and browsers alike),
 * chained past 2^31 ms, where a plain setTimeout would fire at once. Its handle is the cancel function.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setLongTimeout(callback, ms),
  clearTimeout: (handle) => {
    if (typeof handle === "function") handle();
  },
};

/** Resolves after `ms` of the clock's time; rejects with the signal's reason as soon as it aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
