// Time-based transitions are a function of the clock: they must happen with no timer ever firing (as
// in Cloudflare Workers), and give the same world as timers do.

import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type JobRun, JobRun_State } from "@jobrun/core";
import { describe, expect, it } from "vitest";
import { DemoTicker } from "../src/demo/ticker.js";
import {
  type Clock,
  createEmulator,
  createManualClock,
  type Emulator,
  type EmulatorChange,
} from "../src/index.js";
import { Timeline } from "../src/time/timeline.js";
import { doc, ROLLOUT, rejectionOf, run, thrownBy } from "./helpers.js";

const everything = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
const START = Date.UTC(2025, 5, 1);

/** A clock like a Worker's between requests: time moves, but timers never fire. */
function timerlessClock(startMs = START): Clock & { advance(ms: number): void; timersSet: number } {
  let nowMs = startMs;
  const clock = {
    timersSet: 0,
    now: () => nowMs,
    setTimeout: () => {
      clock.timersSet++;
      return clock.timersSet;
    },
    clearTimeout: () => {},
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  return clock;
}

async function inProgress(emulator: Emulator): Promise<JobRun[]> {
  const page = await emulator.listJobRuns({
    parent: everything,
    filter: "state=IN_PROGRESS",
    pageSize: 1000,
  });
  return page.jobRuns;
}

describe("terminations without timers", () => {
  it.each([
    ["timers: false", () => createManualClock(START), { timers: false }],
    ["timers that never fire", () => timerlessClock(), {}],
  ] as const)("complete when the clock has passed the delay (%s)", async (_, makeClock, extra) => {
    const clock = makeClock();
    const emulator = createEmulator({
      clock,
      ...extra,
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
    });
    const name = `${ROLLOUT}/jobRuns/a`;
    const before = await emulator.getJobRun({ name });
    await emulator.terminateJobRun({ name });
    const terminating = await emulator.getJobRun({ name });
    expect(terminating.state).toBe(JobRun_State.TERMINATING);
    clock.advance(1999);
    expect((await emulator.getJobRun({ name })).state).toBe(JobRun_State.TERMINATING);
    clock.advance(60_000); // far past the due time: endTime is still when it was due
    const [listed] = (await emulator.listJobRuns({ parent: ROLLOUT })).jobRuns;
    expect(listed!.state).toBe(JobRun_State.TERMINATED);
    expect(listed!.endTime).toEqual(timestampFromMs(START + 2000));
    expect(new Set([before.etag, terminating.etag, listed!.etag]).size).toBe(3);
    if ("pendingTimers" in clock) expect(clock.pendingTimers).toBe(0);
  });

  it("are seen by every entry point: export, size, list with a filter", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({
      clock,
      timers: false,
      terminateDelayMs: 100,
      jobRuns: doc(
        run("a", { state: JobRun_State.IN_PROGRESS }),
        run("b", { state: JobRun_State.IN_PROGRESS }),
      ),
    });
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    clock.advance(50);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    clock.advance(50);
    expect(emulator.exportJobRuns().jobRuns.map((r) => r.state)).toEqual(["TERMINATED", "TERMINATING"]);
    clock.advance(50);
    expect(emulator.size).toBe(2);
    const page = await emulator.listJobRuns({
      parent: ROLLOUT,
      filter: "state=TERMINATED",
      orderBy: "endTime",
    });
    expect(page.jobRuns.map((r) => [r.name.slice(-1), r.endTime])).toEqual([
      ["a", timestampFromMs(START + 100)],
      ["b", timestampFromMs(START + 150)],
    ]);
  });

  it("are reported to subscribers during the catch-up, before the call answers", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({
      clock,
      timers: false,
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
    });
    const name = `${ROLLOUT}/jobRuns/a`;
    await emulator.terminateJobRun({ name });
    const changes: EmulatorChange[] = [];
    emulator.subscribe((change) => changes.push(change));
    clock.advance(5000);
    expect(changes).toEqual([]); // nothing happens until the emulator is used
    const got = emulator.getJobRun({ name });
    expect(changes).toHaveLength(1);
    const change = changes[0] as Extract<EmulatorChange, { type: "updated" }>;
    expect([change.previous.state, change.jobRun.state]).toEqual([
      JobRun_State.TERMINATING,
      JobRun_State.TERMINATED,
    ]);
    expect(await got).toBe(change.jobRun);
  });

  it("are settled by stop() and refuse a second terminate meanwhile", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({
      clock,
      timers: false,
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
    });
    const name = `${ROLLOUT}/jobRuns/a`;
    await emulator.terminateJobRun({ name });
    clock.advance(3000);
    // The catch-up runs before the check: the run is TERMINATED by now, not TERMINATING.
    expect((await rejectionOf(emulator.terminateJobRun({ name }))).message).toContain("TERMINATED");
    emulator.stop();
    expect((await emulator.getJobRun({ name })).endTime).toEqual(timestampFromMs(START + 2000));
  });
});

describe("the demo without timers", () => {
  it("moves when the clock has moved and the emulator is used", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({ clock, seed: 4, timers: false });
    emulator.start();
    expect(clock.pendingTimers).toBe(0);
    const first = await inProgress(emulator);
    const size = emulator.size;
    clock.advance(10 * 60_000);
    const later = await inProgress(emulator);
    expect(emulator.size).toBeGreaterThan(size);
    expect(later.length).toBeGreaterThan(0);
    expect(later.map((r) => r.name)).not.toEqual(first.map((r) => r.name));
    // Nothing new was started in the future, and each earlier IN_PROGRESS run has moved on.
    for (const r of later) expect(Number(r.startTime!.seconds) * 1000).toBeLessThanOrEqual(clock.now());
    for (const r of first) {
      expect((await emulator.getJobRun({ name: r.name })).state).not.toBe(JobRun_State.IN_PROGRESS);
    }
    expect(clock.pendingTimers).toBe(0);
  });

  it("does not move before start() or after stop()", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({ clock, seed: 4, timers: false });
    const before = emulator.exportJobRuns();
    clock.advance(10 * 60_000);
    expect(emulator.exportJobRuns()).toEqual(before);
    emulator.start();
    clock.advance(10 * 60_000);
    emulator.stop();
    const stopped = emulator.exportJobRuns();
    expect(stopped).not.toEqual(before);
    clock.advance(10 * 60_000);
    expect(emulator.exportJobRuns()).toEqual(stopped);
  });

  it("pages by cursor across catch-ups with no duplicates or skips", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({
      clock,
      seed: 3,
      timers: false,
      demo: { activeRollouts: 4, jobDurationMs: [2000, 4000], tickMs: 250 },
    });
    emulator.start();
    for (const orderBy of ["", "name", "createTime", "phaseId desc, createTime"]) {
      const before = new Set(emulator.exportJobRuns().jobRuns.map((r) => r.name));
      const seen: string[] = [];
      let pageToken = "";
      do {
        const page = await emulator.listJobRuns({ parent: everything, pageSize: 4, orderBy, pageToken });
        seen.push(...page.jobRuns.map((r) => r.name));
        pageToken = page.nextPageToken;
        clock.advance(700); // runs start and end between pages, applied by the next call's catch-up
      } while (pageToken !== "");
      expect(new Set(seen).size).toBe(seen.length);
      for (const name of before) expect(seen).toContain(name);
    }
  });

  it("refuses a bad tickMs or maxCatchUpTicks", () => {
    expect(thrownBy(() => createEmulator({ demo: { tickMs: 0 } })).message).toContain("tickMs");
    expect(thrownBy(() => createEmulator({ demo: { maxCatchUpTicks: 1.5 } })).message).toContain(
      "maxCatchUpTicks",
    );
  });
});

/** Drives one emulator through a script of clock steps and calls; returns its final export. */
async function script(timers: boolean, steps: readonly number[], seed = 11) {
  const clock = createManualClock(START);
  const emulator = createEmulator({ clock, seed, timers, terminateDelayMs: 1500 });
  const changes: string[] = [];
  emulator.subscribe((change) => {
    if (change.type !== "imported")
      changes.push(`${change.type} ${change.jobRun.name} ${change.jobRun.etag}`);
  });
  emulator.start();
  for (const [i, step] of steps.entries()) {
    clock.advance(step);
    // Every third step someone terminates a running job, as a user of the TUI would.
    if (i % 3 === 0) {
      const running = await inProgress(emulator);
      if (running.length > 0) await emulator.terminateJobRun({ name: running[i % running.length]!.name });
    }
  }
  return { world: emulator.exportJobRuns(), changes, size: emulator.size };
}

describe("timers and catch-up agree", () => {
  it("give the same world for the same seed and clock readings", async () => {
    let x = 7;
    const steps = Array.from({ length: 120 }, () => {
      x = (x * 48271) % 2147483647;
      return x % 30_000;
    });
    const byTimers = await script(true, steps);
    const byCatchUp = await script(false, steps);
    expect(byCatchUp.world).toEqual(byTimers.world);
    // The same changes, in the same order, with the same etags: subscribers cannot tell either.
    expect(byCatchUp.changes).toEqual(byTimers.changes);
    expect(byTimers.changes.length).toBeGreaterThan(100);
  });

  it("agree over one long jump within the catch-up bound (50 minutes at once)", async () => {
    const byTimers = await script(true, [50 * 60_000, 1000, 50 * 60_000]);
    const byCatchUp = await script(false, [50 * 60_000, 1000, 50 * 60_000]);
    expect(byCatchUp.world).toEqual(byTimers.world);
  });
});

describe("a bounded catch-up", () => {
  it("replays at most maxCatchUpTicks and dozes through the older part of a long gap", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({ clock, seed: 6, timers: false, demo: { maxCatchUpTicks: 120 } });
    emulator.start();
    const running = await inProgress(emulator);
    const createdBefore = new Set(emulator.exportJobRuns().jobRuns.map((r) => r.name));
    clock.advance(24 * 3_600_000);
    const nowMs = clock.now();
    const windowStart = nowMs - 120 * 1000;
    // The runs that were running ended in the replayed window, not during the skipped day.
    for (const r of running) {
      const after = await emulator.getJobRun({ name: r.name });
      expect(after.state).not.toBe(JobRun_State.IN_PROGRESS);
      expect(Number(after.endTime!.seconds) * 1000).toBeGreaterThanOrEqual(windowStart);
    }
    // Everything new was created within the replayed window (a job's createTime is 1 s before its start).
    const created = emulator.exportJobRuns().jobRuns.filter((r) => !createdBefore.has(r.name!));
    expect(created.length).toBeGreaterThan(0);
    for (const r of created) expect(Date.parse(r.createTime!)).toBeGreaterThanOrEqual(windowStart - 1000);
    expect((await inProgress(emulator)).length).toBeGreaterThan(0);
  });

  it("keeps a call fast after a week without a look (default bound)", async () => {
    const clock = createManualClock(START);
    const emulator = createEmulator({ clock, seed: 8, timers: false });
    emulator.start();
    clock.advance(7 * 24 * 3_600_000);
    const started = performance.now();
    const running = await inProgress(emulator);
    const elapsed = performance.now() - started;
    expect(running.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(1000); // an hour of demo at most: in practice a few ms
  });

  it("costs nothing when nothing is due (no tick runs between deadlines)", () => {
    let ticks = 0;
    const timeline = new Timeline();
    const deadlines = [5_000, 5_500, 9_000];
    const ticker = new DemoTicker(
      {
        tickMs: 1000,
        maxCatchUpTicks: 3600,
        tick: (atMs) => {
          ticks++;
          if (deadlines[0]! <= atMs) deadlines.shift(); // one job ends per tick here
        },
        nextDeadlineMs: () => deadlines[0],
      },
      timeline,
    );
    ticker.start(0);
    for (let event = timeline.takeDue(60_000); event; event = timeline.takeDue(60_000)) {
      event.action(event.dueMs, 60_000);
    }
    // The first tick (1 s), then one per deadline, on the grid: 5 s, 6 s (for 5.5 s), 9 s; not 60.
    expect(ticks).toBe(4);
    expect(timeline.nextDueMs).toBeUndefined();
  });
});

describe("the timeline", () => {
  it("runs events in due order, ties in scheduling order, and skips cancelled ones", () => {
    const timeline = new Timeline();
    const ran: string[] = [];
    const at = (name: string) => (atMs: number) => ran.push(`${name}@${atMs}`);
    timeline.schedule(30, at("c"));
    timeline.schedule(10, at("a"));
    const cancelled = timeline.schedule(10, at("x"));
    timeline.schedule(10, at("b"));
    timeline.schedule(50, at("late"));
    timeline.cancel(cancelled);
    for (let event = timeline.takeDue(40); event; event = timeline.takeDue(40)) event.action(event.dueMs, 40);
    expect(ran).toEqual(["a@10", "b@10", "c@30"]);
    expect(timeline.nextDueMs).toBe(50);
  });
});
