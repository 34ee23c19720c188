// Listing cost with 100 000 runs across 1 000 rollouts. Prints ratios against baselines measured in
// the same run (this is not a test; run `pnpm -F @jobrun/emulator bench`):
//   - the 100th page of a wildcard listing vs the first page (target ≤ 1.5×): cursor paging is
//     O(log n + page), not O(offset);
//   - listing all runs with pageSize 1000 and a filter vs a plain filter + sort of the same array
//     (target < 2×);
//   - heap per stored run.

import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { encodeJson, type JobRun, JobRun_State, JobRunSchema, listAllJobRuns } from "@jobrun/core";
import { createEmulator } from "../src/index.js";

const RUNS = 100_000;
const ROLLOUTS = 1_000;
const wildcard = "projects/bench/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

function makeRuns(): JobRun[] {
  const runs: JobRun[] = [];
  const base = Date.UTC(2025, 0, 1);
  for (let i = 0; i < RUNS; i++) {
    const r = i % ROLLOUTS;
    const parent = `projects/bench/locations/loc-${r % 4}/deliveryPipelines/pipe-${r % 10}/releases/rel-${Math.floor(r / 10) % 10}/rollouts/ro-${r}`;
    const state = [
      JobRun_State.SUCCEEDED,
      JobRun_State.FAILED,
      JobRun_State.IN_PROGRESS,
      JobRun_State.SUCCEEDED,
    ][i % 4]!;
    runs.push(
      create(JobRunSchema, {
        name: `${parent}/jobRuns/${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`,
        uid: `uid-${i}`,
        phaseId: ["canary-25", "canary-50", "stable"][i % 3]!,
        jobId: "deploy",
        createTime: timestampFromMs(base + ((i * 7919) % RUNS) * 1000),
        startTime: timestampFromMs(base + ((i * 7919) % RUNS) * 1000 + 5000),
        state,
        etag: `e${i}`,
        jobRun: {
          case: "deployJobRun",
          value: {
            build: `projects/1/locations/l/builds/${i}`,
            ...(state === JobRun_State.FAILED ? { failureCause: 2, failureMessage: "boom" } : {}),
          },
        },
      }),
    );
  }
  return runs;
}

/** Median time of `fn` in ms over `reps` runs, after a warm-up. */
async function median(reps: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(5, reps); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

const runs = makeRuns();
const document = { jobRuns: runs.map((r) => encodeJson(JobRunSchema, r)) };
const heapBefore = heap();
const emulator = createEmulator({ jobRuns: document });
const heapAfter = heap();
// Keep the decoded source and the document alive across the measurement.
const bytesPerRun = (heapAfter - heapBefore) / emulator.size;

// 1. First page vs 100th page of a wildcard listing (default page size 50).
let token = "";
for (let page = 1; page < 100; page++) {
  token = (await emulator.listJobRuns({ parent: wildcard, pageToken: token })).nextPageToken;
}
const firstPageMs = await median(400, () => emulator.listJobRuns({ parent: wildcard }));
const hundredthPageMs = await median(400, () => emulator.listJobRuns({ parent: wildcard, pageToken: token }));

// 2. All runs, pageSize 1000 + filter, vs plain filter + sort of the same array (the floor).
const filter = 'state="FAILED" OR phaseId="stable"';
const keep = (r: JobRun) => r.state === JobRun_State.FAILED || r.phaseId === "stable";
const byDefaultOrder = (a: JobRun, b: JobRun) =>
  timestampMs(b.createTime!) - timestampMs(a.createTime!) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
let listedCount = 0;
const listAllMs = await median(7, async () => {
  listedCount = 0;
  for await (const _ of listAllJobRuns(emulator, { parent: wildcard, pageSize: 1000, filter })) listedCount++;
});
let floorCount = 0;
const floorMs = await median(7, () => {
  floorCount = runs.filter(keep).sort(byDefaultOrder).length;
});
if (listedCount !== floorCount)
  throw new Error(`the listing returned ${listedCount} runs, the floor ${floorCount}`);

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `@jobrun/emulator list bench: ${emulator.size} runs across ${ROLLOUTS} rollouts (Node ${process.version})`,
);
console.log(`  first page (wildcard, 50):      ${fmt(firstPageMs)}`);
console.log(
  `  100th page (wildcard, 50):      ${fmt(hundredthPageMs)}   ratio ${(hundredthPageMs / firstPageMs).toFixed(2)}x  (target <= 1.5x)`,
);
console.log(`  list all, pageSize 1000 + filter: ${fmt(listAllMs)}  (${listedCount} runs)`);
console.log(
  `  plain filter + sort (floor):    ${fmt(floorMs)}   ratio ${(listAllMs / floorMs).toFixed(2)}x  (target < 2x)`,
);
console.log(
  `  heap per stored run:            ${gc ? `${Math.round(bytesPerRun)} bytes` : "run with --expose-gc to measure"}`,
);
void document;
