// A page asked for again while nothing changed is answered from memory (src/list-answers.ts). What a
// caller depends on: the answer is never stale (a terminate, a run finishing terminating on the
// clock, an import: the next listing shows it), and an answer shared between callers cannot be
// changed by one of them.

import { type JobRun, JobRun_State, stateName } from "@jobrun/core";
import { describe, expect, it } from "vitest";
import { createEmulator, createManualClock } from "../src/index.js";
import { doc, ROLLOUT, run } from "./helpers.js";

const START = Date.UTC(2026, 0, 1);

function emulatorWith(...runs: JobRun[]) {
  const clock = createManualClock(START);
  const emulator = createEmulator({ jobRuns: doc(...runs), clock, timers: false, terminateDelayMs: 100 });
  return { emulator, clock };
}

const states = (runs: readonly JobRun[]) =>
  runs.map((r) => `${r.name.split("/").pop()} ${stateName(r.state)}`);

describe("a listing asked for again", () => {
  it("is the same answer while nothing changed, frozen, so no caller can change it for the others", () => {
    const { emulator } = emulatorWith(run("a"), run("b"));
    const first = emulator.answerNow("listJobRuns", { parent: ROLLOUT });
    if (first === undefined) throw new Error("the emulator answers a listing at once");
    const again = emulator.answerNow("listJobRuns", { parent: ROLLOUT });
    expect(again).toBe(first);
    expect(first.jobRuns).toHaveLength(2);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => (first.jobRuns as JobRun[]).push(run("c"))).toThrow(TypeError);
    expect(() => {
      (first as { nextPageToken: string }).nextPageToken = "forged";
    }).toThrow(TypeError);
    expect(emulator.answerNow("listJobRuns", { parent: ROLLOUT })?.jobRuns).toHaveLength(2);
  });

  it("shows a terminate at once, and the run's end of terminating when the clock reaches it", async () => {
    const { emulator, clock } = emulatorWith(run("a", { state: JobRun_State.IN_PROGRESS }), run("b"));
    const query = { parent: ROLLOUT, orderBy: "name" };
    expect(states((await emulator.listJobRuns(query)).jobRuns)).toEqual(["a IN_PROGRESS", "b SUCCEEDED"]);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(states((await emulator.listJobRuns(query)).jobRuns)).toEqual(["a TERMINATING", "b SUCCEEDED"]);
    clock.advance(100);
    expect(states((await emulator.listJobRuns(query)).jobRuns)).toEqual(["a TERMINATED", "b SUCCEEDED"]);
  });

  it("shows an imported run", async () => {
    const { emulator } = emulatorWith(run("a"));
    const query = { parent: ROLLOUT, filter: 'state = "SUCCEEDED"' };
    expect((await emulator.listJobRuns(query)).jobRuns).toHaveLength(1);
    emulator.importJobRuns(doc(run("b")));
    expect((await emulator.listJobRuns(query)).jobRuns).toHaveLength(2);
  });

  it("tells queries apart by every field, however the text is split between them", async () => {
    const { emulator } = emulatorWith(run("a", { jobId: "x" }), run("b", { jobId: "y" }), run("c"));
    const all = await emulator.listJobRuns({ parent: ROLLOUT, orderBy: "name" });
    const one = await emulator.listJobRuns({ parent: ROLLOUT, orderBy: "name", pageSize: 1 });
    const x = await emulator.listJobRuns({ parent: ROLLOUT, orderBy: "name", filter: 'jobId = "x"' });
    // The same characters, moved from the orderBy into the page token: not the answer above, but a
    // page token this service never issued.
    await expect(
      emulator.listJobRuns({ parent: ROLLOUT, orderBy: "", pageToken: "name" }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    // A page size of the wrong type (plain JavaScript) is refused, though 3 is remembered.
    await emulator.listJobRuns({ parent: ROLLOUT, orderBy: "name", pageSize: 3 });
    await expect(
      emulator.listJobRuns({ parent: ROLLOUT, orderBy: "name", pageSize: "3" as unknown as number }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(all.jobRuns).toHaveLength(3);
    expect(one.jobRuns).toHaveLength(1);
    expect(states(x.jobRuns)).toEqual(["a SUCCEEDED"]);
    const second = await emulator.listJobRuns({
      parent: ROLLOUT,
      orderBy: "name",
      pageSize: 1,
      pageToken: one.nextPageToken,
    });
    const secondAgain = await emulator.listJobRuns({
      parent: ROLLOUT,
      orderBy: "name",
      pageSize: 1,
      pageToken: one.nextPageToken,
    });
    expect(states(second.jobRuns)).toEqual(["b SUCCEEDED"]);
    expect(secondAgain).toBe(second);
  });

  it("answers queries too long to remember, and more distinct queries than it keeps, right every time", async () => {
    const { emulator } = emulatorWith(run("a", { jobId: "j0" }), run("b", { jobId: "j1" }));
    const long = `jobId = "j0" OR ${Array.from({ length: 300 }, (_, i) => `jobId = "none-${i}"`).join(" OR ")}`;
    expect(long.length).toBeGreaterThan(4000);
    for (let round = 0; round < 2; round += 1) {
      expect(states((await emulator.listJobRuns({ parent: ROLLOUT, filter: long })).jobRuns)).toEqual([
        "a SUCCEEDED",
      ]);
    }
    for (let i = 0; i < 200; i += 1) {
      const answer = await emulator.listJobRuns({
        parent: ROLLOUT,
        filter: `jobId = "j${i % 2}" OR jobId = "q${i}"`,
      });
      expect(answer.jobRuns.map((r) => r.jobId)).toEqual([`j${i % 2}`]);
    }
  });
});
