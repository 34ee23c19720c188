// Preloaded into the proxy by bench/watch.ts (with --expose-gc): on SIGUSR2 it collects garbage and
// writes process.memoryUsage() to $JOBRUN_BENCH_HEAP_FILE, so memory is read after a collection, not
// with whatever garbage the heap happens to hold.
const { writeFileSync } = require("node:fs");

process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  writeFileSync(process.env.JOBRUN_BENCH_HEAP_FILE, JSON.stringify(process.memoryUsage()));
});
