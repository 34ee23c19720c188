/**
 * The longest delay setTimeout honours: 2^31 − 1 ms, about 24.8 days. Every runtime (Node, workerd,
 * Deno, Bun, browsers) stores the delay as a signed 32-bit integer and fires a longer one at once,
 * so a `timeoutMs` of 30 days would otherwise fail a call immediately with DEADLINE_EXCEEDED.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `onTimeout` after `delayMs` however long it is, by chaining timers no longer than
 * MAX_TIMER_DELAY_MS. Returns the function that cancels it.
 */
export function setLongTimeout(onTimeout: () => void, delayMs: number): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (remaining: number) => {
    timer =
      remaining > MAX_TIMER_DELAY_MS
        ? setTimeout(() => arm(remaining - MAX_TIMER_DELAY_MS), MAX_TIMER_DELAY_MS)
        : setTimeout(onTimeout, remaining);
  };
  arm(delayMs);
  return () => clearTimeout(timer);
}
