// Listing cost with 100 000 runs across 1 000 rollouts. Prints ratios against baselines measured in
// the same run (this is not a test; run `pnpm -F @jobrun/emulator bench`):
//   - the 100th page of a wildcard listing vs the first page (target ≤ 1.5×): cursor paging is
//     O(log n + page), not O(offset);
//   - listing all runs with pageSize 1000 and a filter vs a plain filter + sort of the same array
//     (target < 2×);
//   - a caller scoped to one rollout (100 runs) rotating orderBy over 16 orderings vs a plain sort of
//     that rollout's runs by the same orderings (target < 5x), and vs a sort of the whole store by one
//     ordering, which is what each such request cost before issue 10.2 (the ratio shows the saving);
//   - heap per stored run.
// The emulator answers a query it answered before from memory while no run has changed (list-answers.ts);
// every ratio above is of the listing's own work, so each timed call comes after a change to the store
// (one run imported again, unchanged, outside the timing). What a repeated query costs is printed too.

import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { encodeJson, type JobRun, JobRun_State, JobRunSchema, listAllJobRuns } from "@jobrun/core";
import { createEmulator, type OrderSpec, parseOrderBy } from "../src/index.js";

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

/** Median time of `fn` in ms over `reps` runs, after a warm-up; `before` runs untimed before each. */
async function median(reps: number, fn: () => unknown, before?: () => void): Promise<number> {
  for (let i = 0; i < Math.min(5, reps); i++) {
    before?.();
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    before?.();
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

/** Changes the store (one run imported again as it was), so the next list is worked out afresh. */
const unchangedRun = { jobRuns: [document.jobRuns[0]] };
const changeStore = () => emulator.importJobRuns(unchangedRun);

// 1. First page vs 100th page of a wildcard listing (default page size 50).
let token = "";
for (let page = 1; page < 100; page++) {
  token = (await emulator.listJobRuns({ parent: wildcard, pageToken: token })).nextPageToken;
}
const firstPageMs = await median(400, () => emulator.listJobRuns({ parent: wildcard }), changeStore);
const hundredthPageMs = await median(
  400,
  () => emulator.listJobRuns({ parent: wildcard, pageToken: token }),
  changeStore,
);
// The same first page asked again, the store unchanged: what a poller's repeated request costs.
const repeatedPageMs = await median(400, () => emulator.listJobRuns({ parent: wildcard }));

// 2. All runs, pageSize 1000 + filter, vs plain filter + sort of the same array (the floor).
const filter = 'state="FAILED" OR phaseId="stable"';
const keep = (r: JobRun) => r.state === JobRun_State.FAILED || r.phaseId === "stable";
const byDefaultOrder = (a: JobRun, b: JobRun) =>
  timestampMs(b.createTime!) - timestampMs(a.createTime!) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
let listedCount = 0;
const listAllMs = await median(
  7,
  async () => {
    listedCount = 0;
    for await (const _ of listAllJobRuns(emulator, { parent: wildcard, pageSize: 1000, filter }))
      listedCount++;
  },
  changeStore,
);
let floorCount = 0;
const floorMs = await median(7, () => {
  floorCount = runs.filter(keep).sort(byDefaultOrder).length;
});
if (listedCount !== floorCount)
  throw new Error(`the listing returned ${listedCount} runs, the floor ${floorCount}`);

// 3. A rollout-scoped caller rotating orderBy (each ordering once per round) vs the default order.
const oneRollout = runs[0]!.name.slice(0, runs[0]!.name.indexOf("/jobRuns/"));
const orderings = [
  "name",
  "name desc",
  "createTime",
  "startTime",
  "startTime desc",
  "state",
  "state desc",
  "phaseId",
  "phaseId desc",
  "jobId",
  "uid",
  "uid desc",
  "etag",
  "etag desc",
  "phaseId, startTime desc",
  "state, uid",
];
const rolloutRuns = runs.filter((r) => r.name.startsWith(`${oneRollout}/`));
const specs = orderings.map((o) => parseOrderBy(o));
const sortBy = (list: readonly JobRun[], spec: OrderSpec) =>
  list
    .map((run) => ({ run, key: spec.keyOf(run) }))
    .sort((a, b) => spec.compare(a.key, b.key))
    .slice(0, 50);
let rotation = 0;
const rotatingMs = await median(
  800,
  () => emulator.listJobRuns({ parent: oneRollout, orderBy: orderings[rotation++ % orderings.length]! }),
  changeStore,
);
let floorRotation = 0;
const rolloutSortMs = await median(800, () => sortBy(rolloutRuns, specs[floorRotation++ % specs.length]!));
const storeSortMs = await median(5, () => sortBy(runs, specs[floorRotation++ % specs.length]!));

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `@jobrun/emulator list bench: ${emulator.size} runs across ${ROLLOUTS} rollouts (Node ${process.version})`,
);
console.log(`  first page (wildcard, 50):      ${fmt(firstPageMs)}`);
console.log(
  `  100th page (wildcard, 50):      ${fmt(hundredthPageMs)}   ratio ${(hundredthPageMs / firstPageMs).toFixed(2)}x  (target <= 1.5x)`,
);
console.log(
  `  first page again, nothing changed: ${(repeatedPageMs * 1000).toFixed(2)} µs   (answered from memory: ${(firstPageMs / repeatedPageMs).toFixed(0)}x less)`,
);
console.log(`  list all, pageSize 1000 + filter: ${fmt(listAllMs)}  (${listedCount} runs)`);
console.log(
  `  plain filter + sort (floor):    ${fmt(floorMs)}   ratio ${(listAllMs / floorMs).toFixed(2)}x  (target < 2x)`,
);
console.log(`  one rollout (${rolloutRuns.length} runs), rotating orderBy: ${fmt(rotatingMs)}`);
console.log(
  `  plain sort of that rollout (floor): ${fmt(rolloutSortMs)}   ratio ${(rotatingMs / rolloutSortMs).toFixed(2)}x  (target < 5x: a listing also parses orderBy and signs a page token)`,
);
console.log(
  `  sort of the whole store (before):  ${fmt(storeSortMs)}   ${(storeSortMs / rotatingMs).toFixed(0)}x the cost per request`,
);
console.log(
  `  heap per stored run:            ${gc ? `${Math.round(bytesPerRun)} bytes` : "run with --expose-gc to measure"}`,
);
void document;
