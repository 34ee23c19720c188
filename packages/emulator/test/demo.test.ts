import { type JobRun, JobRun_State, jobKindOf, jobKinds, listAllJobRuns } from "@jobrun/core";
import { describe, expect, it } from "vitest";
import { createEmulator, createManualClock } from "../src/index.js";

const everything = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

describe("the demo world", () => {
  it("is the same for the same seed and clock, and differs for another seed", () => {
    const world = (seed: number) => createEmulator({ seed, clock: createManualClock() }).exportJobRuns();
    expect(world(42)).toEqual(world(42));
    expect(world(42)).not.toEqual(world(43));
  });

  it("names its runs with distinct version-4 UUIDs (run ids, uids and build ids)", async () => {
    const emulator = createEmulator({ seed: 7, clock: createManualClock() });
    const runs: JobRun[] = [];
    for await (const run of listAllJobRuns(emulator, { parent: everything, pageSize: 1000 })) runs.push(run);
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = runs.flatMap((run) => {
      const value = run.jobRun.value as { build?: string } | undefined;
      const build = value?.build?.split("/builds/")[1];
      return [run.name.split("/jobRuns/")[1] ?? "", run.uid, ...(build === undefined ? [] : [build])];
    });
    expect(runs.length).toBeGreaterThan(50);
    for (const id of ids) expect(id).toMatch(v4);
    expect(new Set(ids).size).toBe(ids.length);
    // Every variant digit and every hex digit turns up.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
    expect(new Set(ids.join("").replaceAll("-", "")).size).toBe(16);
  });

  it("keeps something IN_PROGRESS through simulated hours, terminations included", async () => {
    const clock = createManualClock();
    const emulator = createEmulator({ clock, seed: 9, terminateDelayMs: 500 });
    emulator.start();
    for (let minute = 0; minute < 240; minute++) {
      const page = await emulator.listJobRuns({
        parent: everything,
        filter: "state=IN_PROGRESS",
        pageSize: 1000,
      });
      expect(page.jobRuns.length, `minute ${minute}`).toBeGreaterThan(0);
      if (minute % 7 === 0) await emulator.terminateJobRun({ name: page.jobRuns[0]!.name });
      clock.advance(60_000);
    }
    emulator.stop();
  });

  it("progresses jobs in order and covers every job kind, phase and state", async () => {
    const clock = createManualClock();
    const emulator = createEmulator({ clock, seed: 2 });
    emulator.start();
    clock.advance(6 * 3_600_000);
    emulator.stop();
    const runs: JobRun[] = [];
    for await (const r of listAllJobRuns(emulator, {
      parent: everything,
      pageSize: 1000,
      orderBy: "createTime",
    }))
      runs.push(r);
    expect(runs).toHaveLength(emulator.size);
    expect(new Set(runs.map(jobKindOf))).toEqual(new Set(jobKinds));
    expect(new Set(runs.map((r) => r.phaseId))).toEqual(new Set(["canary-25", "canary-50", "stable"]));
    for (const state of [
      JobRun_State.SUCCEEDED,
      JobRun_State.FAILED,
      JobRun_State.TERMINATED,
      JobRun_State.IN_PROGRESS,
    ]) {
      expect(runs.some((r) => r.state === state)).toBe(true);
    }
    const failed = runs.filter(
      (r) =>
        r.state === JobRun_State.FAILED && r.jobRun.case !== undefined && "failureCause" in r.jobRun.value,
    );
    expect(
      failed.every(
        (r) => (r.jobRun.value as { failureCause: number; failureMessage: string }).failureMessage !== "",
      ),
    ).toBe(true);
    expect(
      runs.some(
        (r) => r.jobRun.case === "deployJobRun" && r.jobRun.value.metadata?.cloudRun?.serviceUrls.length,
      ),
    ).toBe(true);
    expect(
      runs.some(
        (r) => r.jobRun.case === "deployJobRun" && r.jobRun.value.metadata?.customTarget !== undefined,
      ),
    ).toBe(true);
    // Within a rollout, a later job starts only after the earlier one ended.
    const byRollout = new Map<string, JobRun[]>();
    for (const r of runs) {
      const rollout = r.name.split("/jobRuns/")[0]!;
      byRollout.set(rollout, [...(byRollout.get(rollout) ?? []), r]);
    }
    for (const rolloutRuns of byRollout.values()) {
      for (let i = 1; i < rolloutRuns.length; i++) {
        const previousEnd = rolloutRuns[i - 1]!.endTime;
        expect(previousEnd).toBeDefined();
      }
    }
  });
});
