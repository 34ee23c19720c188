// The cost of a listing is bounded by what the caller's parent covers (issue 10.2): a caller scoped to a
// 10-run rollout who rotates orderBy must not make the store sort its 100,000 runs on every request.

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type JobRun, JobRun_State, JobRunSchema, parseRolloutName } from "@jobrun/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type OrderSpec, parseOrderBy } from "../src/index.js";
import type { JobRunStore } from "../src/store/job-run-store.js";

const RUNS = 100_000;
const SMALL = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/small";
const SMALL_RUNS = 10;

/** More orderings than any cache of per-ordering indexes would keep. */
const ORDERINGS = [
  "name",
  "name desc",
  "createTime",
  "startTime",
  "startTime desc",
  "endTime",
  "endTime desc",
  "state",
  "state desc",
  "phaseId",
  "phaseId desc",
  "jobId",
  "jobId desc",
  "uid",
  "uid desc",
  "etag",
];

function makeRuns(): JobRun[] {
  const base = Date.UTC(2025, 0, 1);
  return Array.from({ length: RUNS }, (_, i) => {
    const parent =
      i < SMALL_RUNS
        ? SMALL
        : `projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/big-${i % 100}`;
    return create(JobRunSchema, {
      name: `${parent}/jobRuns/run-${String(i).padStart(6, "0")}`,
      uid: `uid-${(i * 7919) % RUNS}`,
      phaseId: ["canary", "stable", "verify"][i % 3]!,
      jobId: `job-${i % 7}`,
      etag: `e${(i * 31) % 97}`,
      state: [JobRun_State.SUCCEEDED, JobRun_State.FAILED, JobRun_State.IN_PROGRESS][i % 3]!,
      createTime: timestampFromMs(base + ((i * 7919) % RUNS) * 1000),
      startTime: timestampFromMs(base + ((i * 104729) % RUNS) * 1000),
      ...(i % 4 === 0 ? {} : { endTime: timestampFromMs(base + ((i * 15485863) % RUNS) * 1000) }),
    });
  });
}

/** An OrderSpec that counts the work done with it: every comparison and every key computed. */
function counting(spec: OrderSpec): { spec: OrderSpec; work: () => number } {
  let work = 0;
  return {
    spec: {
      ...spec,
      keyOf: (run) => {
        work++;
        return spec.keyOf(run);
      },
      compare: (a, b) => {
        work++;
        return spec.compare(a, b);
      },
    },
    work: () => work,
  };
}

let runs: JobRun[];
let emulator: Emulator;
let store: JobRunStore;
beforeAll(() => {
  runs = makeRuns();
  emulator = createEmulator({ demo: false, jobRuns: { jobRuns: [] } });
  // Straight into the store: importing 100,000 JSON runs would only slow the test down.
  store = (emulator as unknown as { store: JobRunStore }).store;
  store.putMany(runs);
}, 60_000);

describe("listing cost with a rotating orderBy on a 100,000-run store", () => {
  it("does work in proportion to the parent's runs, not to the store", () => {
    const parent = parseRolloutName(SMALL);
    const everything = () => true;
    for (let round = 0; round < 2; round++) {
      for (const orderBy of ORDERINGS) {
        const { spec, work } = counting(parseOrderBy(orderBy));
        const listed: string[] = [];
        let after: ReturnType<OrderSpec["keyOf"]> | undefined;
        do {
          const page = store.page({ parent, order: spec, predicate: everything, after, pageSize: 4 });
          listed.push(...page.runs.map((r) => r.name));
          after = page.nextAfter;
        } while (after !== undefined);
        // Three pages over 10 runs: a few hundred steps at most (a sort of the whole store is millions).
        expect(work(), orderBy).toBeLessThan(400);
        const expected = runs
          .slice(0, SMALL_RUNS)
          .map((run) => ({ name: run.name, key: spec.keyOf(run) }))
          .sort((a, b) => spec.compare(a.key, b.key))
          .map((r) => r.name);
        expect(listed, orderBy).toEqual(expected);
      }
    }
  });

  describe("through the emulator", () => {
    it("answers each request of a rotating orderBy in milliseconds", async () => {
      // Warm up the code paths, then time every request.
      await emulator.listJobRuns({ parent: SMALL, orderBy: "uid" });
      const times: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (const orderBy of ORDERINGS) {
          const started = performance.now();
          const page = await emulator.listJobRuns({ parent: SMALL, orderBy, pageSize: 5 });
          times.push(performance.now() - started);
          expect(page.jobRuns).toHaveLength(5);
          const next = await emulator.listJobRuns({
            parent: SMALL,
            orderBy,
            pageSize: 5,
            pageToken: page.nextPageToken,
          });
          expect(next.jobRuns).toHaveLength(5);
          expect(next.nextPageToken).toBe("");
        }
      }
      times.sort((a, b) => a - b);
      // A whole-store sort took ~730 ms per request here; the partition of 10 runs takes well under 1.
      // The bound leaves room for a loaded CI machine.
      expect(times[Math.floor(times.length / 2)]!).toBeLessThan(20);
      expect(times.at(-1)!).toBeLessThan(200);
    });

    it("still orders a wide listing the same way as a sort of every run", async () => {
      const wide = "projects/p/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
      const spec = parseOrderBy("startTime desc");
      const first = await emulator.listJobRuns({
        parent: wide,
        orderBy: "startTime desc",
        pageSize: 100,
        filter: 'phaseId="stable"',
      });
      const second = await emulator.listJobRuns({
        parent: wide,
        orderBy: "startTime desc",
        pageSize: 100,
        filter: 'phaseId="stable"',
        pageToken: first.nextPageToken,
      });
      const expected = runs
        .filter((run) => run.phaseId === "stable")
        .map((run) => ({ name: run.name, key: spec.keyOf(run) }))
        .sort((a, b) => spec.compare(a.key, b.key))
        .slice(0, 200)
        .map((r) => r.name);
      expect([...first.jobRuns, ...second.jobRuns].map((r) => r.name)).toEqual(expected);
    });
  });
});
