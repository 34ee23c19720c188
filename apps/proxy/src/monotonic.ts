// The monotonic clock request durations are measured with. On Node 20 `performance` (like `crypto`)
// is an accessor of the global object, so each read of the global name calls a getter; read once
// here, a request's two readings of the clock cost only the calls themselves.

const clock = performance;

/** Milliseconds from an arbitrary start, never going back (performance.now). */
export function monotonicNow(): number {
  return clock.now();
}
