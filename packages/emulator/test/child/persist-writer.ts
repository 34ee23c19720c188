// Child process for the crash test: persists an emulator over and over, each generation a large
// document in which every run carries the generation in its etag. The parent kills it mid-write.

import { createEmulator } from "../../src/index.js";
import { persistEmulator } from "../../src/node/index.js";

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
const rollout = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
const documentFor = (generation: number) => ({
  jobRuns: Array.from({ length: count }, (_, i) => ({
    name: `${rollout}/jobRuns/run-${i}`,
    state: "SUCCEEDED",
    phaseId: "stable",
    jobId: "deploy",
    etag: `generation-${generation}`,
    deployJobRun: {
      build: `projects/1/locations/l/builds/${"x".repeat(200)}`,
      failureMessage: "m".repeat(200),
    },
  })),
});

const emulator = createEmulator({ jobRuns: documentFor(0) });
const persistence = persistEmulator(emulator, path!, { debounceMs: 0, writeInitial: false });
await persistence.flush();
process.send?.("ready");
for (let generation = 1; ; generation++) {
  emulator.importJobRuns(documentFor(generation));
  await persistence.flush();
}
