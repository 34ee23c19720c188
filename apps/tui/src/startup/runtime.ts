// Settings of the Node runtime for the `jobrun` binary.
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

/**
 * Applied before React and Ink load. React's development build (what an unset NODE_ENV selects)
 * is several times slower per frame and heavier: a user's terminal wants the production build.
 */
export function tuneRuntime(env: NodeJS.ProcessEnv = process.env): void {
  env.NODE_ENV ??= "production";
}

/**
 * The young generation's size at most (both semi-spaces): Node 20's own maximum, two 16 MiB
 * semi-spaces. Node 24's V8 sizes that maximum from the old generation's instead: two 64 MiB
 * semi-spaces on a machine with a few GiB of memory or more. The frames' short-lived garbage grows
 * the young generation to whatever maximum it has, so with 10 000 runs loaded the same UI held
 * 280 MB of RSS on Node 24 against 150 MB on Node 20 (bench/memory.mjs), for no gain in
 * key-to-frame time.
 */
export const MAX_YOUNG_GENERATION_BYTES = 32 * 2 ** 20;

/**
 * Applied once the first frame is drawn (or before a printed listing). Each frame Ink lays the
 * whole screen out in fresh objects, so a held key or the spinner makes a lot of short-lived
 * garbage; with V8's default heap growth (doubling) the old space, and the RSS, grow to about
 * twice what is live before a full collection. Growing by 20% keeps RSS with 10 000 runs well
 * under 200 MB at no measurable cost in key-to-frame time (see bench/). The young generation stops
 * growing at MAX_YOUNG_GENERATION_BYTES.
 *
 * Not at start: V8 reads the flag each time it sizes the heap after a collection, so it works
 * from any moment, and set before start-up's allocations it brought a full mark-compact before
 * the first frame (6% of the main thread's instructions to it, measured with callgrind).
 */
export function tuneHeap(): void {
  setFlagsFromString("--heap-growing-percent=20");
  capYoungGeneration();
}

/**
 * V8 reads the young generation's maximum only as it starts (setting it now changes nothing), but
 * reads the factor it grows by each time it grows it. So the young generation grows as usual until
 * a collection has taken it to the cap, and from then on grows by a factor of 1: not at all. A
 * collection is watched only until then (a process that never reaches the cap watches them all:
 * a few microseconds each).
 */
function capYoungGeneration(): void {
  if (youngGenerationBytes() >= MAX_YOUNG_GENERATION_BYTES) {
    stopYoungGenerationGrowth();
    return;
  }
  const observer = new PerformanceObserver(() => {
    if (youngGenerationBytes() < MAX_YOUNG_GENERATION_BYTES) return;
    stopYoungGenerationGrowth();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}

function stopYoungGenerationGrowth(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}

/** The young generation's memory now: both semi-spaces, as V8 counts its `new_space`. */
function youngGenerationBytes(): number {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  return newSpace?.space_size ?? 0;
}
