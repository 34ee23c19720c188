// @jobrun/client's watchJobRuns against the real proxy over HTTP: live from the event stream, resumed
// across the proxy ending it, released on abort, refused as the proxy refuses; and polling through a
// proxy whose backend has no watch.

import { createJobRunsClient, staticToken, type WatchMode } from "@jobrun/client";
import { watchReader } from "@jobrun/conformance";
import type { JobRunJson } from "@jobrun/core";
import { afterAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy } from "../src/index.js";
import { WatchHub, type WatchHubOptions } from "../src/watch/hub.js";
import { watchSourceOf } from "../src/watch/source.js";
import { KEYS, testKeyStore } from "./support/keys.js";
import { type Served, serveFetch } from "./support/serve.js";
import { until } from "./support/wait.js";

const PROJECT = "acme";
const ROLLOUT = `projects/${PROJECT}/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001`;
const OTHER =
  "projects/globex/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const runJson = (id: string, state: NonNullable<JobRunJson["state"]>): JobRunJson => ({
  name: `${ROLLOUT}/jobRuns/${id}`,
  jobId: "deploy",
  state,
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
});

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function proxyWith(watch: Omit<WatchHubOptions, "source"> | false) {
  const emulator = createEmulatorBackend({
    jobRuns: {
      jobRuns: [runJson("a", "IN_PROGRESS"), runJson("b", "IN_PROGRESS"), runJson("c", "SUCCEEDED")],
    },
    terminateDelayMs: 200,
  });
  const source = watchSourceOf(emulator);
  const hub = watch === false || source === undefined ? undefined : new WatchHub({ source, ...watch });
  const app = createProxy({
    backend: emulator,
    auth: { keys: await testKeyStore(PROJECT, "globex") },
    log: false,
    watch: hub ?? false,
  });
  const served: Served = await serveFetch(app.fetch);
  cleanups.push(async () => {
    hub?.close();
    emulator.stop();
    await served.close();
  });
  const client = (key: string) => createJobRunsClient({ endpoint: served.url, auth: staticToken(key) });
  return { served, hub, client };
}

describe("the client's watchJobRuns through the proxy", () => {
  it("is live: the initial state, then a terminate as TERMINATING and TERMINATED; abort releases the stream", async () => {
    const { hub, client } = await proxyWith({ lingerMs: 0 });
    const modes: WatchMode[] = [];
    const controller = new AbortController();
    const watch = watchReader(
      client(KEYS.reader).watchJobRuns(
        { parent: ROLLOUT },
        { signal: controller.signal, onMode: (mode) => modes.push(mode) },
      ),
    );
    const initial = await watch.take(4);
    expect(initial.slice(0, 3).sort()).toEqual([
      "EXISTING a IN_PROGRESS",
      "EXISTING b IN_PROGRESS",
      "EXISTING c SUCCEEDED",
    ]);
    expect(initial[3]).toBe("SYNCED");
    expect(modes).toEqual(["live"]);
    await client(KEYS.operator).terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await watch.take(2)).toEqual(["CHANGED a TERMINATING", "CHANGED a TERMINATED"]);
    expect(hub?.stats.streams).toBe(1);
    controller.abort();
    expect(await watch.next()).toBe("END");
    await until(() => hub?.stats.streams === 0 && hub.stats.channels === 0, "the stream to be released");
  });

  it("rides over the proxy ending its stream: resumed with Last-Event-ID, no second initial state", async () => {
    const { client } = await proxyWith({ maxLifetimeMs: 150, lingerMs: 5_000 });
    const controller = new AbortController();
    const watch = watchReader(
      client(KEYS.reader).watchJobRuns({ parent: ROLLOUT }, { signal: controller.signal }),
    );
    await watch.take(4);
    // Several lifetimes pass; the terminate lands in one stream or between two.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await client(KEYS.operator).terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    expect(await watch.take(2)).toEqual(["CHANGED b TERMINATING", "CHANGED b TERMINATED"]);
    controller.abort();
  });

  it("throws the proxy's refusal of a parent outside the caller's scopes", async () => {
    const { client } = await proxyWith({});
    const iterator = client(KEYS.reader).watchJobRuns({ parent: OTHER })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
  });

  it("polls the proxy's listing when its backend has no watch (501), with the same loop", async () => {
    const { client } = await proxyWith(false);
    const modes: WatchMode[] = [];
    const controller = new AbortController();
    const watch = watchReader(
      client(KEYS.reader).watchJobRuns(
        { parent: ROLLOUT, filter: 'state="IN_PROGRESS"' },
        { signal: controller.signal, pollIntervalMs: 50, onMode: (mode) => modes.push(mode) },
      ),
    );
    expect((await watch.take(3)).sort()).toEqual([
      "EXISTING a IN_PROGRESS",
      "EXISTING b IN_PROGRESS",
      "SYNCED",
    ]);
    expect(modes).toEqual(["polling"]);
    await client(KEYS.operator).terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    expect(await watch.next()).toBe("REMOVED a IN_PROGRESS");
    controller.abort();
    expect(await watch.next()).toBe("END");
  });
});
