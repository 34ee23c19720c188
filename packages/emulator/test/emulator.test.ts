import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { JobRun_State, listAllJobRuns } from "@jobrun/core";
import { describe, expect, it, vi } from "vitest";
import { createEmulator, createManualClock, type EmulatorChange } from "../src/index.js";
import { doc, ROLLOUT, rejectionOf, run, thrownBy } from "./helpers.js";

const at = (minute: number) => timestampFromMs(Date.UTC(2025, 0, 1, 0, minute));

describe("listing order", () => {
  it("defaults to newest first, ties broken by name, unset createTime last", async () => {
    const emulator = createEmulator({
      jobRuns: doc(
        run("b", { createTime: at(1) }),
        run("a", { createTime: at(1) }),
        run("c", { createTime: at(5) }),
        run("z", { createTime: undefined }),
      ),
    });
    const page = await emulator.listJobRuns({ parent: ROLLOUT });
    expect(page.jobRuns.map((r) => r.name.split("/").pop())).toEqual(["c", "a", "b", "z"]);
  });

  it("refuses a repeated, message or duplicated orderBy field", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a")) });
    for (const orderBy of [
      "deployJobRun",
      "deployJobRun.artifact.manifestPaths",
      "state, state desc",
      "state,",
      "state desc asc",
    ]) {
      expect((await rejectionOf(emulator.listJobRuns({ parent: ROLLOUT, orderBy }))).code).toBe(
        "INVALID_ARGUMENT",
      );
    }
    const error = await rejectionOf(
      emulator.listJobRuns({ parent: ROLLOUT, orderBy: "createTime desc, priority" }),
    );
    expect(error.message).toContain("column 18");
  });

  it("accepts PascalCase and snake_case order fields, as gcloud sends them", async () => {
    const emulator = createEmulator({
      jobRuns: doc(run("a", { createTime: at(1) }), run("b", { createTime: at(2) })),
    });
    for (const orderBy of ["CreateTime desc", "create_time DESC"]) {
      const page = await emulator.listJobRuns({ parent: ROLLOUT, orderBy });
      expect(page.jobRuns.map((r) => r.name.slice(-1))).toEqual(["b", "a"]);
    }
  });
});

describe("paging while runs are added", () => {
  it("never repeats or skips a run that existed when paging began", async () => {
    const clock = createManualClock();
    const emulator = createEmulator({
      clock,
      seed: 3,
      demo: { activeRollouts: 3, jobDurationMs: [2000, 4000], tickMs: 250 },
    });
    emulator.start();
    const parent = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
    for (const orderBy of ["", "name", "createTime", "phaseId desc, createTime"]) {
      const before = new Set(emulator.exportJobRuns().jobRuns.map((r) => r.name));
      const seen: string[] = [];
      let pageToken = "";
      let pages = 0;
      do {
        if (++pages > 5000) throw new Error("paging did not end");
        const page = await emulator.listJobRuns({ parent, pageSize: 4, orderBy, pageToken, filter: "" });
        seen.push(...page.jobRuns.map((r) => r.name));
        pageToken = page.nextPageToken;
        clock.advance(500); // the demo adds and finishes runs between pages
      } while (pageToken !== "");
      expect(new Set(seen).size).toBe(seen.length);
      for (const name of before) expect(seen).toContain(name);
    }
    emulator.stop();
  });
});

describe("listJobRuns validation", () => {
  const emulator = createEmulator({ jobRuns: doc(run("a")) });
  it.each([
    [{ parent: "" }, "parent is required"],
    [{ parent: ROLLOUT, pageSize: 2.5 }, "integer"],
    [{ parent: ROLLOUT, pageSize: -5 }, "negative"],
    [{ parent: "projects/p/locations/l" }, "segments"],
  ])("refuses %j", async (request, fragment) => {
    const error = await rejectionOf(emulator.listJobRuns(request));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(fragment);
  });
});

describe("terminateJobRun timing", () => {
  it("stays TERMINATING for terminateDelayMs (default 2 s), then TERMINATED with endTime = clock", async () => {
    const clock = createManualClock(Date.UTC(2025, 5, 1));
    const emulator = createEmulator({ clock, jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })) });
    const name = `${ROLLOUT}/jobRuns/a`;
    await emulator.terminateJobRun({ name });
    clock.advance(1999);
    expect((await emulator.getJobRun({ name })).state).toBe(JobRun_State.TERMINATING);
    clock.advance(1);
    const done = await emulator.getJobRun({ name });
    expect(done.state).toBe(JobRun_State.TERMINATED);
    expect(done.endTime).toEqual(timestampFromMs(Date.UTC(2025, 5, 1) + 2000));
  });

  it("settles pending terminations on stop(), leaving no timer behind", async () => {
    const clock = createManualClock();
    const emulator = createEmulator({ clock, jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })) });
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(clock.pendingTimers).toBe(1);
    emulator.stop();
    expect(clock.pendingTimers).toBe(0);
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.TERMINATED);
  });

  it("refuses a bad terminateDelayMs", () => {
    expect(thrownBy(() => createEmulator({ terminateDelayMs: -1 })).message).toContain("terminateDelayMs");
  });
});

describe("answers at once (answerNow)", () => {
  it("gives what get and list resolve with, the same snapshots, and catches up to the clock first", async () => {
    const clock = createManualClock(Date.UTC(2025, 5, 1));
    const emulator = createEmulator({
      clock,
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS }), run("b")),
    });
    const name = `${ROLLOUT}/jobRuns/a`;
    expect(emulator.answerNow("getJobRun", { name })).toBe(await emulator.getJobRun({ name }));
    const page = emulator.answerNow("listJobRuns", { parent: ROLLOUT, pageSize: 1 });
    const listed = await emulator.listJobRuns({ parent: ROLLOUT, pageSize: 1 });
    expect(page?.jobRuns).toEqual(listed.jobRuns);
    expect(page?.nextPageToken).toBe(listed.nextPageToken);
    expect(page?.jobRuns[0]).toBe(listed.jobRuns[0]);
    await emulator.terminateJobRun({ name });
    clock.advance(2000); // no call in between: the termination is due, and answerNow applies it
    expect(emulator.answerNow("getJobRun", { name })?.state).toBe(JobRun_State.TERMINATED);
  });

  it("throws the ApiError the call would reject with, synchronously", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a")) });
    const missing = `${ROLLOUT}/jobRuns/zz`;
    const thrown = thrownBy(() => emulator.answerNow("getJobRun", { name: missing }));
    const rejected = await rejectionOf(emulator.getJobRun({ name: missing }));
    expect(thrown.code).toBe("NOT_FOUND");
    expect(thrown.message).toBe(rejected.message);
    expect(thrownBy(() => emulator.answerNow("listJobRuns", { parent: "nope" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(thrownBy(() => emulator.answerNow("getJobRun", { name: "not/a/name" })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("does not answer a terminate, which changes the run and waits for its commit hooks", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })) });
    const name = `${ROLLOUT}/jobRuns/a`;
    expect(emulator.answerNow("terminateJobRun", { name })).toBeUndefined();
    expect((await emulator.getJobRun({ name })).state).toBe(JobRun_State.IN_PROGRESS);
  });
});

describe("returned runs", () => {
  it("are frozen snapshots: callers cannot change the store", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a")) });
    const got = await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(() => {
      (got as { state: number }).state = JobRun_State.FAILED;
    }).toThrow(TypeError);
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.SUCCEEDED);
  });
});

describe("import and export", () => {
  it("round-trips: export → import gives the same document", () => {
    const first = createEmulator({ seed: 11, clock: createManualClock() });
    const exported = first.exportJobRuns();
    const second = createEmulator({ jobRuns: exported });
    expect(second.exportJobRuns()).toEqual(exported);
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  it("loads nothing when one entry is bad, and names the entry and the field", () => {
    const emulator = createEmulator({ jobRuns: doc(run("keep")) });
    const good = doc(run("a"), run("b")).jobRuns;
    const cases: [unknown, string][] = [
      [
        { jobRuns: [...good, { ...good[0], name: `${ROLLOUT}/jobRuns/c`, state: "DONE" }] },
        "jobRuns[2].state",
      ],
      [{ jobRuns: [good[0], { ...good[1], createTime: "yesterday" }] }, "jobRuns[1].createTime"],
      [
        { jobRuns: [good[0], { ...good[1], deployJobRun: { failureCause: "NOPE" } }] },
        "jobRuns[1].deployJobRun.failureCause",
      ],
      [{ jobRuns: [good[0], { ...good[1], colour: "red" }] }, "jobRuns[1].colour"],
      [{ jobRuns: [good[0], { ...good[1], name: "projects/p" }] }, "jobRuns[1].name"],
      [{ jobRuns: [good[0], { ...good[1], name: "" }] }, "jobRuns[1].name"],
      [{ jobRuns: [good[0], { ...good[1], state: undefined }] }, "jobRuns[1].state"],
      [{ jobRuns: [good[0], good[1], good[0]] }, "jobRuns[2].name"],
      [{ jobRuns: {} }, "jobRuns"],
      [{ runs: [] }, "runs"],
      [[], "object"],
    ];
    for (const [document, fragment] of cases) {
      const error = thrownBy(() => emulator.importJobRuns(document));
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.message).toContain(fragment);
    }
    expect(emulator.exportJobRuns().jobRuns.map((r) => r.name)).toEqual([`${ROLLOUT}/jobRuns/keep`]);
  });

  it("keeps imported states (no demo unless asked) and replaces runs of the same name", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a", { state: JobRun_State.SUCCEEDED })) });
    expect(emulator.size).toBe(1);
    emulator.importJobRuns(doc(run("a", { state: JobRun_State.FAILED }), run("b")));
    expect(emulator.size).toBe(2);
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.FAILED);
    expect(createEmulator({ jobRuns: doc(run("a")), demo: true }).size).toBeGreaterThan(50);
  });

  it("finishes a run stored or imported as TERMINATING terminateDelayMs after the load (issue 10.9)", async () => {
    const START = Date.UTC(2025, 5, 1);
    const clock = createManualClock(START);
    const name = `${ROLLOUT}/jobRuns/a`;
    const emulator = createEmulator({
      clock,
      terminateDelayMs: 500,
      jobRuns: doc(
        run("a", { state: JobRun_State.TERMINATING }),
        run("b", { state: JobRun_State.IN_PROGRESS }),
      ),
    });
    clock.advance(499);
    expect((await emulator.getJobRun({ name })).state).toBe(JobRun_State.TERMINATING);
    clock.advance(1);
    const finished = await emulator.getJobRun({ name });
    expect(finished.state).toBe(JobRun_State.TERMINATED);
    expect(timestampMs(finished.endTime!)).toBe(START + 500);
    // An import later in the emulator's life: the delay runs from that import.
    emulator.importJobRuns(doc(run("b", { state: JobRun_State.TERMINATING })));
    clock.advance(300);
    emulator.importJobRuns(doc(run("c", { state: JobRun_State.TERMINATING })));
    clock.advance(200);
    expect(emulator.exportJobRuns().jobRuns.map((r) => r.state)).toEqual([
      "TERMINATED",
      "TERMINATED",
      "TERMINATING",
    ]);
    clock.advance(300);
    expect(emulator.exportJobRuns().jobRuns.map((r) => r.state)).toEqual([
      "TERMINATED",
      "TERMINATED",
      "TERMINATED",
    ]);
    // Re-imported as something else before it finished: the pending finish is dropped.
    emulator.importJobRuns(doc(run("d", { state: JobRun_State.TERMINATING })));
    emulator.importJobRuns(doc(run("d", { state: JobRun_State.FAILED })));
    clock.advance(1000);
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/d` })).state).toBe(JobRun_State.FAILED);
    emulator.stop();
  });

  it("fills a missing uid and etag", async () => {
    const emulator = createEmulator({
      jobRuns: { jobRuns: [{ name: `${ROLLOUT}/jobRuns/x`, state: "SUCCEEDED" }] },
    });
    const got = await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/x` });
    expect(got.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.etag).not.toBe("");
  });
});

describe("subscribe", () => {
  it("reports imports, updates with the previous version, and stops after unsubscribe", async () => {
    const emulator = createEmulator({
      clock: createManualClock(),
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
    });
    const changes: EmulatorChange[] = [];
    const unsubscribe = emulator.subscribe((change) => changes.push(change));
    emulator.importJobRuns(doc(run("b")));
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(changes.map((c) => c.type)).toEqual(["imported", "updated"]);
    const update = changes[1] as Extract<EmulatorChange, { type: "updated" }>;
    expect([update.previous.state, update.jobRun.state]).toEqual([
      JobRun_State.IN_PROGRESS,
      JobRun_State.TERMINATING,
    ]);
    unsubscribe();
    emulator.stop();
    expect(changes).toHaveLength(2);
  });

  it("survives a listener that throws", async () => {
    const emulator = createEmulator({ jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })) });
    let reported = 0;
    const report = vi.spyOn(console, "error").mockImplementation(() => {
      reported++;
    });
    try {
      emulator.subscribe(() => {
        throw new Error("boom");
      });
      await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    } finally {
      emulator.stop();
      report.mockRestore();
    }
    expect(reported).toBe(2); // the terminate and, at stop(), the end of the termination
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.TERMINATED);
  });
});

describe("listAllJobRuns over the emulator", () => {
  it("pages through a wildcard listing of the demo", async () => {
    const emulator = createEmulator({ clock: createManualClock(), seed: 5 });
    const names: string[] = [];
    for await (const r of listAllJobRuns(emulator, {
      parent: "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
      pageSize: 13,
    })) {
      names.push(r.name);
    }
    expect(names).toHaveLength(emulator.size);
  });
});

describe("why a call was refused (ErrorInfo reason, AIP-193)", () => {
  const finished = () =>
    createEmulator({ jobRuns: doc(run("done", { state: JobRun_State.SUCCEEDED }), run("live")) });

  it.each([
    [
      "a missing run",
      (e: ReturnType<typeof finished>) => e.getJobRun({ name: `${ROLLOUT}/jobRuns/nope` }),
      "JOB_RUN_NOT_FOUND",
    ],
    [
      "a malformed name",
      (e: ReturnType<typeof finished>) => e.getJobRun({ name: "projects/p" }),
      "INVALID_RESOURCE_NAME",
    ],
    [
      "a filter on no field",
      (e: ReturnType<typeof finished>) => e.listJobRuns({ parent: ROLLOUT, filter: "colour=1" }),
      "INVALID_FILTER",
    ],
    [
      "an orderBy on no field",
      (e: ReturnType<typeof finished>) => e.listJobRuns({ parent: ROLLOUT, orderBy: "colour" }),
      "INVALID_ORDER_BY",
    ],
    [
      "a forged page token",
      (e: ReturnType<typeof finished>) => e.listJobRuns({ parent: ROLLOUT, pageToken: "forged" }),
      "INVALID_PAGE_TOKEN",
    ],
    [
      "a negative page size",
      (e: ReturnType<typeof finished>) => e.listJobRuns({ parent: ROLLOUT, pageSize: -1 }),
      "INVALID_REQUEST_FIELD",
    ],
  ])("%s: %s", async (_what, callOf, reason) => {
    const error = await rejectionOf(callOf(finished()));
    expect(error.reason).toBe(reason);
    expect(error.domain).toBe("clouddeploy.googleapis.com");
  });

  it("terminating a finished run: JOB_RUN_NOT_TERMINABLE with the run and its state", async () => {
    const name = `${ROLLOUT}/jobRuns/done`;
    const error = await rejectionOf(finished().terminateJobRun({ name }));
    expect(error.code).toBe("FAILED_PRECONDITION");
    expect(error.reason).toBe("JOB_RUN_NOT_TERMINABLE");
    expect(error.errorInfoMetadata).toMatchObject({ resource: name, state: "SUCCEEDED" });
  });
});
