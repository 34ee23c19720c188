// The emulator's live watch: the initial state, then each change from its change feed, no polling.
import { watchReader } from "@jobrun/conformance";
import { JobRun_State, WatchJobRunsResponse_Type as Type, type WatchJobRunsRequestInit } from "@jobrun/core";
import { describe, expect, it } from "vitest";
import { createManualClock } from "../src/clock.js";
import { createEmulator, type Emulator } from "../src/emulator.js";
import { type ChangeFeed, watchJobRuns } from "../src/watch.js";
import { doc, ROLLOUT, rejectionOf, run } from "./helpers.js";

const OTHER = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/other";
const WILDCARD = "projects/p/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

/** An emulator's change feed that counts its live subscriptions. */
function countingFeed(emulator: Emulator): ChangeFeed & { readonly subscribers: number } {
  let subscribers = 0;
  return {
    listJobRuns: (request, options) => emulator.listJobRuns(request, options),
    subscribe(listener) {
      subscribers += 1;
      const unsubscribe = emulator.subscribe(listener);
      return () => {
        subscribers -= 1;
        unsubscribe();
      };
    },
    get subscribers() {
      return subscribers;
    },
  };
}

function fixture(options: { terminateDelayMs?: number } = {}) {
  const clock = createManualClock();
  const emulator = createEmulator({
    clock,
    jobRuns: doc(
      run("a", { state: JobRun_State.IN_PROGRESS }),
      run("b", { state: JobRun_State.SUCCEEDED }),
      run("c", { state: JobRun_State.IN_PROGRESS }, OTHER),
    ),
    ...options,
  });
  return { clock, emulator };
}

const watch = (emulator: Emulator, request: WatchJobRunsRequestInit, signal?: AbortSignal) =>
  watchReader(emulator.watchJobRuns(request, signal === undefined ? {} : { signal }), 2000);

describe("the initial state", () => {
  it("sends each matching run as EXISTING, then one SYNCED", async () => {
    const { emulator } = fixture();
    const w = watch(emulator, { parent: ROLLOUT });
    const initial = await w.take(3);
    expect(initial.slice(0, 2).sort()).toEqual(["EXISTING a IN_PROGRESS", "EXISTING b SUCCEEDED"]);
    expect(initial[2]).toBe("SYNCED");
  });

  it("takes wildcard parents and filters as list does", async () => {
    const { emulator } = fixture();
    const w = watch(emulator, { parent: WILDCARD, filter: 'state="IN_PROGRESS"' });
    const initial = await w.take(3);
    expect(initial.slice(0, 2).sort()).toEqual(["EXISTING a IN_PROGRESS", "EXISTING c IN_PROGRESS"]);
    expect(initial[2]).toBe("SYNCED");
  });

  it("sends SYNCED alone for a rollout without runs", async () => {
    const { emulator } = fixture();
    const w = watch(emulator, { parent: ROLLOUT.replace("/o", "/none") });
    expect(await w.next()).toBe("SYNCED");
  });

  it("refuses a bad parent or filter with list's INVALID_ARGUMENT, holding no subscription", async () => {
    const { emulator } = fixture();
    const feed = countingFeed(emulator);
    const badFilter = watchJobRuns(feed, { parent: ROLLOUT, filter: "state = " })[Symbol.asyncIterator]();
    expect((await rejectionOf(badFilter.next())).code).toBe("INVALID_ARGUMENT");
    const badParent = watchJobRuns(feed, { parent: "projects/p" })[Symbol.asyncIterator]();
    expect((await rejectionOf(badParent.next())).message).toMatch(/invalid Rollout name/);
    const noParent = watchJobRuns(feed, {})[Symbol.asyncIterator]();
    expect((await rejectionOf(noParent.next())).code).toBe("INVALID_ARGUMENT");
    expect(feed.subscribers).toBe(0);
  });
});

describe("changes, from the change feed", () => {
  it("a terminate is CHANGED to TERMINATING at once, then to TERMINATED when it completes", async () => {
    const { clock, emulator } = fixture({ terminateDelayMs: 500 });
    const w = watch(emulator, { parent: ROLLOUT });
    await w.take(3);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await w.next()).toBe("CHANGED a TERMINATING");
    // The emulator's own timer completes it: nobody calls the emulator in between.
    clock.advance(500);
    expect(await w.next()).toBe("CHANGED a TERMINATED");
  });

  it("on the system clock, TERMINATING arrives within 100 ms and TERMINATED after the delay", async () => {
    const emulator = createEmulator({
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
      terminateDelayMs: 200,
    });
    const w = watch(emulator, { parent: ROLLOUT });
    await w.take(2);
    const start = performance.now();
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await w.next()).toBe("CHANGED a TERMINATING");
    expect(performance.now() - start).toBeLessThan(100);
    expect(await w.next()).toBe("CHANGED a TERMINATED");
    expect(performance.now() - start).toBeGreaterThanOrEqual(190);
    emulator.stop();
  });

  it("a run leaving the filter is REMOVED with its new state; one entering it is ADDED", async () => {
    const { clock, emulator } = fixture({ terminateDelayMs: 500 });
    const inProgress = watch(emulator, { parent: ROLLOUT, filter: 'state="IN_PROGRESS"' });
    const finished = watch(emulator, { parent: ROLLOUT, filter: 'state="TERMINATED"' });
    expect(await inProgress.take(2)).toEqual(["EXISTING a IN_PROGRESS", "SYNCED"]);
    expect(await finished.take(1)).toEqual(["SYNCED"]);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await inProgress.next()).toBe("REMOVED a TERMINATING");
    clock.advance(500);
    expect(await finished.next()).toBe("ADDED a TERMINATED");
  });

  it("runs outside the parent are not sent", async () => {
    const { emulator } = fixture();
    const w = watch(emulator, { parent: ROLLOUT });
    await w.take(3);
    await emulator.terminateJobRun({ name: `${OTHER}/jobRuns/c` });
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await w.next()).toBe("CHANGED a TERMINATING");
  });

  it("an import is read again and sent as its difference", async () => {
    const { emulator } = fixture();
    const w = watch(emulator, { parent: ROLLOUT });
    await w.take(3);
    emulator.importJobRuns(
      doc(run("b", { state: JobRun_State.FAILED }), run("d", { state: JobRun_State.IN_PROGRESS })),
    );
    expect((await w.take(2)).sort()).toEqual(["ADDED d IN_PROGRESS", "CHANGED b FAILED"]);
  });
});

describe("a consistent initial state from a paged read", () => {
  it("a change heard between pages wins over the page's older copy", async () => {
    const many = Array.from({ length: 1500 }, (_, i) =>
      run(`r${String(i).padStart(4, "0")}`, { state: JobRun_State.IN_PROGRESS }),
    );
    const emulator = createEmulator({ clock: createManualClock(), jobRuns: doc(...many) });
    const feed = countingFeed(emulator);
    let pages = 0;
    const changing: ChangeFeed = {
      subscribe: (listener) => feed.subscribe(listener),
      async listJobRuns(request, options) {
        const page = emulator.listJobRuns(request, options);
        pages += 1;
        // Between the first and second page, every run of the first page is terminated.
        if (pages === 1) {
          for (const jobRun of (await page).jobRuns) await emulator.terminateJobRun({ name: jobRun.name });
        }
        return page;
      },
    };
    const iterator = watchJobRuns(changing, { parent: ROLLOUT })[Symbol.asyncIterator]();
    const states = new Map<string, JobRun_State>();
    for (;;) {
      const { value } = await iterator.next();
      if (value === undefined || value.type === Type.SYNCED) break;
      expect(value.type).toBe(Type.EXISTING);
      states.set(value.jobRun?.name ?? "", value.jobRun?.state ?? JobRun_State.STATE_UNSPECIFIED);
    }
    expect(pages).toBe(2);
    expect(states.size).toBe(1500);
    const counts = { terminating: 0, inProgress: 0 };
    for (const state of states.values()) {
      if (state === JobRun_State.TERMINATING) counts.terminating += 1;
      if (state === JobRun_State.IN_PROGRESS) counts.inProgress += 1;
    }
    expect(counts).toEqual({ terminating: 1000, inProgress: 500 });
    await iterator.return?.();
    expect(feed.subscribers).toBe(0);
  });
});

describe("ending a watch", () => {
  it("an abort ends the loop and releases the subscription", async () => {
    const { emulator } = fixture();
    const feed = countingFeed(emulator);
    const controller = new AbortController();
    const w = watchReader(watchJobRuns(feed, { parent: ROLLOUT }, { signal: controller.signal }), 2000);
    await w.take(3);
    expect(feed.subscribers).toBe(1);
    const pending = w.next();
    controller.abort();
    expect(await pending).toBe("END");
    expect(feed.subscribers).toBe(0);
  });

  it("a break out of the loop releases the subscription", async () => {
    const { emulator } = fixture();
    const feed = countingFeed(emulator);
    for await (const response of watchJobRuns(feed, { parent: ROLLOUT })) {
      if (response.type === Type.SYNCED) break;
    }
    expect(feed.subscribers).toBe(0);
  });

  it("an already aborted signal gives an empty watch and no subscription", async () => {
    const { emulator } = fixture();
    const feed = countingFeed(emulator);
    const w = watchReader(watchJobRuns(feed, { parent: ROLLOUT }, { signal: AbortSignal.abort() }), 2000);
    expect(await w.next()).toBe("END");
    expect(feed.subscribers).toBe(0);
  });
});
