// The main entry bundled as a Worker and run in real workerd (miniflare 4). Workers drop a request's
// timers once its response is sent, so this is where time-based transitions must come from the clock:
// a run terminated by one request is TERMINATED for a request made after terminateDelayMs, and the demo
// has moved, with no timer and no ctx.waitUntil. (Local workerd lets timers run after a response, so
// the Worker clears them itself at the end of each request, as production does.)

import { bundleWorker, WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import { JobRun_State } from "@jobrun/core";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Seen {
  terminatedFrom: number;
  terminatedTo: number;
  now: number;
  state: number;
  etag: string;
  endMs?: number;
  running: string[];
  size: number;
  timersSet: number;
}

let miniflare: Miniflare;
let bundleText: string;

beforeAll(async () => {
  bundleText = await bundleWorker(new URL("./workerd/worker.ts", import.meta.url));
  miniflare = new Miniflare({
    modules: true,
    script: bundleText,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
  });
  await miniflare.ready;
}, 30_000);

afterAll(async () => {
  await miniflare?.dispose();
});

async function call(method: "GET" | "POST", timers: "on" | "off"): Promise<Seen> {
  const response = await miniflare.dispatchFetch(`http://worker/?timers=${timers}`, { method });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the Worker failed (${response.status}): ${text}`);
  return JSON.parse(text) as Seen;
}

describe("the emulator in workerd", () => {
  it("bundles without a Node built-in", () => {
    expect(bundleText).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|child_process|os|path)["']\)/);
  });

  it.each(["off", "on"] as const)(
    "completes a termination and moves the demo between requests (timers %s)",
    async (timers) => {
      const first = await call("POST", timers);
      expect(first.state).toBe(JobRun_State.TERMINATING);
      expect(first.running.length).toBeGreaterThan(0);
      // Real time passes with no request in flight: past terminateDelayMs (300 ms) and past the end of
      // every job that was running (live jobs last at least a second).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const second = await call("GET", timers);
      expect(second.state).toBe(JobRun_State.TERMINATED);
      expect(second.etag).not.toBe(first.etag);
      // endTime is when the termination was due, not when the second request looked.
      expect(second.endMs).toBeGreaterThanOrEqual(first.terminatedFrom + 300);
      expect(second.endMs).toBeLessThanOrEqual(first.terminatedTo + 300);
      expect(second.endMs).toBeLessThan(second.now);
      expect(second.size).toBeGreaterThan(first.size);
      for (const name of first.running) expect(second.running).not.toContain(name);
      expect(second.running.length).toBeGreaterThan(0);
      // Purely clock-driven: not a single timer was asked for.
      if (timers === "off") expect(first.timersSet + second.timersSet).toBe(0);
    },
    15_000,
  );
});
