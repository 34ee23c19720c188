// The list kept up by a watch (the embedded emulator's own, or a client's of a jobrun proxy) instead
// of a refresh timer, and the header saying which: "live" or "every 3 s".
import type { WatchJobRunsRequestInit, WatchJobRunsResponse } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import type { LiveWatch } from "../src/source/live-updates.js";
import { nameOf, ROLLOUT, sampleRuns } from "./support/fixtures.js";
import { type Harness, startApp } from "./support/harness.js";

let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const header = (harness: Harness) => harness.frame().split("\n")[1] ?? "";

describe("live updates from the emulator's watch", () => {
  it("says live in the header, and refreshes on no timer", async () => {
    app = await startApp({ runs: sampleRuns(), watch: "emulator" });
    expect(header(app)).toMatch(/updated \d\d:\d\d:\d\d · live$/);
    const lists = app.calls.list;
    await app.advance(60_000);
    expect(app.calls.list).toBe(lists);
  });

  it("shows a terminate made elsewhere at once, and its end when the emulator completes it, without a list", async () => {
    app = await startApp({ runs: sampleRuns(), watch: "emulator", terminateDelayMs: 2_000 });
    const lists = app.calls.list;
    // Another user terminates the deploy (straight at the backend, not through this UI).
    await app.emulator.terminateJobRun({ name: nameOf(1) });
    await app.advance(0);
    expect(app.frame()).toMatch(/TERMINATING\s+web\s+r1-to-prod-0001\s+deploy/);
    expect(header(app)).toContain("1 TERMINATING");
    await app.advance(2_000);
    expect(app.frame()).toMatch(/TERMINATED\s+web\s+r1-to-prod-0001\s+deploy/);
    expect(header(app)).toContain("2 TERMINATED");
    expect(app.calls.list).toBe(lists);
  });

  it("reads the list again, once, when runs appear", async () => {
    app = await startApp({ runs: sampleRuns(), watch: "emulator" });
    const lists = app.calls.list;
    const added = (n: number) => ({
      name: nameOf(n),
      jobId: "deploy",
      phaseId: "stable",
      state: "IN_PROGRESS" as const,
      createTime: new Date(app?.clock.now() ?? 0).toISOString(),
      deployJobRun: {},
    });
    app.emulator.importJobRuns({ jobRuns: [added(90), added(91)] });
    await app.advance(0);
    expect(app.calls.list).toBe(lists);
    await app.advance(250);
    expect(app.calls.list).toBe(lists + 1);
    expect(header(app)).toMatch(/^7 runs {2}\S 3 IN_PROGRESS/);
  });
});

describe("without a live watch", () => {
  it("says how often it refreshes, and does", async () => {
    app = await startApp({ runs: sampleRuns() });
    expect(header(app)).toMatch(/updated \d\d:\d\d:\d\d · every 3 s$/);
    const lists = app.calls.list;
    await app.advance(3_000);
    expect(app.calls.list).toBe(lists + 1);
  });

  it("goes back to the timer when a client's watch finds no watch at its endpoint (Google's own)", async () => {
    const asked: WatchJobRunsRequestInit[] = [];
    // What @jobrun/client does against an endpoint without a watch: it says it would poll.
    const polling: LiveWatch = {
      watchJobRuns(request, options) {
        asked.push(request);
        return (async function* (): AsyncGenerator<WatchJobRunsResponse> {
          options.onMode?.("polling");
          await new Promise<void>((resolve) => options.signal?.addEventListener("abort", () => resolve()));
        })();
      },
    };
    app = await startApp({ runs: sampleRuns(), watch: polling, parent: ROLLOUT });
    expect(asked).toEqual([{ parent: ROLLOUT, filter: "" }]);
    expect(header(app)).toMatch(/every 3 s$/);
    const lists = app.calls.list;
    await app.advance(3_000);
    expect(app.calls.list).toBe(lists + 1);
  });
});
