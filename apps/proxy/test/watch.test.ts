// The live watch over real HTTP, read as `curl -N` reads it: the proxy on a node:http server, the
// emulator backend with its timers on, another connection terminating runs. Every refusal is a
// google.rpc.Status answer, never a stream.
import type { JobRunJson } from "@jobrun/core";
import type { Emulator } from "@jobrun/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy } from "../src/index.js";
import { WatchHub, type WatchHubOptions } from "../src/watch/hub.js";
import { watchSourceOf } from "../src/watch/source.js";
import { KEYS, testKeyStore } from "./support/keys.js";
import { type Served, serveFetch } from "./support/serve.js";
import { briefWatchJson, openSse, type SseConnection } from "./support/sse-reader.js";
import { until } from "./support/wait.js";

const PROJECT = "acme";
const OTHER_PROJECT = "globex";
const ROLLOUT = `projects/${PROJECT}/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001`;
const EUROPE = `projects/${PROJECT}/locations/europe-west1/deliveryPipelines/api/releases/rel-1/rollouts/rel-1-to-prod-0001`;
const OTHER = `projects/${OTHER_PROJECT}/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001`;
const ALL_LOCATIONS = `projects/${PROJECT}/locations/-/deliveryPipelines/-/releases/-/rollouts/-`;

const runJson = (
  parent: string,
  id: string,
  state: NonNullable<JobRunJson["state"]>,
  extra: Partial<JobRunJson> = {},
): JobRunJson => ({
  name: `${parent}/jobRuns/${id}`,
  jobId: "deploy",
  phaseId: "stable",
  state,
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
  ...extra,
});

const RUNS = [
  runJson(ROLLOUT, "a", "IN_PROGRESS"),
  runJson(ROLLOUT, "b", "IN_PROGRESS"),
  runJson(ROLLOUT, "c", "SUCCEEDED"),
  runJson(ROLLOUT, "d", "IN_PROGRESS"),
  runJson(ROLLOUT, "e", "IN_PROGRESS"),
  runJson(EUROPE, "x", "IN_PROGRESS"),
  runJson(OTHER, "y", "IN_PROGRESS"),
];

interface Setup {
  readonly served: Served;
  readonly emulator: Emulator;
  readonly hub: WatchHub;
  /** Subscriptions to the emulator's change feed that are open now. */
  readonly subscriptions: () => number;
}

const open: Setup[] = [];
const connections: SseConnection[] = [];

/** A proxy on a real port over a fresh emulator (timers on), with a watch hub of these options. */
async function serveProxy(hubOptions: Omit<WatchHubOptions, "source"> = {}): Promise<Setup> {
  const emulator = createEmulatorBackend({ jobRuns: { jobRuns: RUNS }, terminateDelayMs: 300 });
  let live = 0;
  const subscribe = emulator.subscribe.bind(emulator);
  emulator.subscribe = (listener) => {
    live += 1;
    const unsubscribe = subscribe(listener);
    return () => {
      live -= 1;
      unsubscribe();
    };
  };
  const source = watchSourceOf(emulator);
  if (source === undefined) throw new Error("the emulator has no watch");
  const hub = new WatchHub({ source, lingerMs: 0, ...hubOptions });
  const app = createProxy({
    backend: emulator,
    auth: { keys: await testKeyStore(PROJECT, OTHER_PROJECT) },
    log: false,
    watch: hub,
  });
  const served = await serveFetch(app.fetch);
  const setup = { served, emulator, hub, subscriptions: () => live };
  open.push(setup);
  return setup;
}

const watchUrl = (served: Served, parent: string, query = "") =>
  `${served.url}/v1/${parent}/jobRuns:watch${query === "" ? "" : `?${query}`}`;

async function watch(
  served: Served,
  parent: string,
  options: { key?: string | undefined; query?: string; headers?: Record<string, string> } = {},
): Promise<SseConnection> {
  const key = "key" in options ? options.key : KEYS.reader;
  const connection = await openSse(watchUrl(served, parent, options.query), {
    ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    ...options.headers,
  });
  connections.push(connection);
  return connection;
}

async function terminate(served: Served, name: string): Promise<void> {
  const response = await fetch(`${served.url}/v1/${name}:terminate`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.operator}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(response.status).toBe(200);
}

/** What a test reads of an event's data: its type and the run's id and state. */
let shared: Setup;
beforeAll(async () => {
  shared = await serveProxy();
});
afterEach(() => {
  for (const connection of connections.splice(0)) connection.close();
});
afterAll(async () => {
  for (const setup of open) {
    setup.hub.close();
    setup.emulator.stop();
    await setup.served.close();
  }
});

describe("GET …/jobRuns:watch, read as curl -N reads it", () => {
  it("prints the initial state, one SYNCED with a resume id, then each change live", async () => {
    const { served } = await serveProxy();
    const stream = await watch(served, ROLLOUT);
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(stream.headers["cache-control"]).toBe("no-store");
    const first = await stream.next();
    expect(first?.retry).toBe(2000);
    const initial = (await stream.take(5)).map(briefWatchJson);
    expect(initial.sort()).toEqual([
      "EXISTING a IN_PROGRESS",
      "EXISTING b IN_PROGRESS",
      "EXISTING c SUCCEEDED",
      "EXISTING d IN_PROGRESS",
      "EXISTING e IN_PROGRESS",
    ]);
    const synced = await stream.next();
    expect(briefWatchJson(JSON.parse(synced?.data ?? "{}"))).toBe("SYNCED");
    expect(synced?.id).toMatch(/^[0-9a-z]+\.0$/);
  });

  it("shows a terminate from another connection within 100 ms as TERMINATING, then TERMINATED", async () => {
    const { served } = shared;
    const stream = await watch(served, ROLLOUT);
    await stream.take(6);
    await terminate(served, `${ROLLOUT}/jobRuns/a`);
    const answeredAt = performance.now();
    const changed = await stream.next();
    expect(briefWatchJson(JSON.parse(changed?.data ?? "{}"))).toBe("CHANGED a TERMINATING");
    // The run changes before the terminate's answer is sent: the event is due by then, give or take
    // the two connections' scheduling (the first fetch of a process alone can take longer than that).
    expect((changed?.receivedAt ?? Number.POSITIVE_INFINITY) - answeredAt).toBeLessThan(100);
    expect(changed?.id).toMatch(/^[0-9a-z]+\.1$/);
    const done = await stream.next({ timeoutMs: 2000 });
    expect(briefWatchJson(JSON.parse(done?.data ?? "{}"))).toBe("CHANGED a TERMINATED");
    expect(done?.id).toMatch(/\.2$/);
  });

  it("takes filters and wildcard parents as list does, and numeric enums when asked", async () => {
    const { served } = await serveProxy();
    const stream = await watch(served, ALL_LOCATIONS, {
      key: KEYS.everything,
      query: `filter=${encodeURIComponent('state="IN_PROGRESS"')}&$alt=json;enum-encoding=int`,
    });
    const events = (await stream.take(6)) as { type: number; jobRun?: { name: string; state: number } }[];
    expect(events.at(-1)).toEqual({ type: 2 });
    expect(
      events
        .slice(0, 5)
        .map((e) => [e.type, e.jobRun?.name.split("/").at(-1), e.jobRun?.state])
        .sort(),
    ).toEqual([
      [1, "a", 1],
      [1, "b", 1],
      [1, "d", 1],
      [1, "e", 1],
      [1, "x", 1],
    ]);
  });

  it("answers HEAD with the stream's headers and no stream", async () => {
    const response = await fetch(watchUrl(shared.served, ROLLOUT), {
      method: "HEAD",
      headers: { authorization: `Bearer ${KEYS.reader}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(shared.hub.stats.streams).toBe(0);
  });
});

describe("refusals are google.rpc.Status answers, never a stream", () => {
  async function refusal(
    stream: SseConnection,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> {
    expect(stream.status).toBe(status);
    expect(stream.headers["content-type"]).toMatch(/^application\/json/);
    const body = JSON.parse(await stream.text()) as { error: Record<string, unknown> };
    expect(body.error.status).toBe(code);
    return body.error;
  }

  it("without credentials: 401", async () => {
    await refusal(await watch(shared.served, ROLLOUT, { key: undefined }), 401, "UNAUTHENTICATED");
  });

  it("a parent outside the caller's scopes, or a wildcard that could reach outside them: 403", async () => {
    const outside = await refusal(await watch(shared.served, OTHER), 403, "PERMISSION_DENIED");
    expect(outside.message).toMatch(/outside the caller's scopes/);
    const escaping = await refusal(
      await watch(shared.served, ALL_LOCATIONS, { key: KEYS.europe }),
      403,
      "PERMISSION_DENIED",
    );
    expect(escaping.message).toMatch(/wildcard/);
  });

  it("a malformed parent, a bad filter, an unknown parameter, alt=proto: 400", async () => {
    const { served } = shared;
    await refusal(await watch(served, ROLLOUT.replace("rollouts/", "rollouts/-/x/")), 404, "NOT_FOUND");
    const badName = await refusal(
      await watch(served, ROLLOUT.replace("web", "we%20b")),
      400,
      "INVALID_ARGUMENT",
    );
    expect(badName.message).toMatch(/deliveryPipeline/);
    const badFilter = await refusal(
      await watch(served, ROLLOUT, { query: "filter=state%3D" }),
      400,
      "INVALID_ARGUMENT",
    );
    expect(badFilter.message).toMatch(/filter/);
    await refusal(await watch(served, ROLLOUT, { query: "pageSize=5" }), 400, "INVALID_ARGUMENT");
    await refusal(await watch(served, ROLLOUT, { query: "alt=proto" }), 400, "INVALID_ARGUMENT");
    expect(shared.hub.stats.streams).toBe(0);
  });

  it("another method on the watch path: 405 with Allow", async () => {
    const response = await fetch(watchUrl(shared.served, ROLLOUT), {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.reader}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("a backend without a watch: 501 UNIMPLEMENTED, which tells a client to poll", async () => {
    const emulator = createEmulatorBackend({ jobRuns: { jobRuns: RUNS } });
    const app = createProxy({ backend: emulator, auth: "none", log: false, watch: false });
    const response = await app.request(`/v1/${ROLLOUT}/jobRuns:watch`);
    expect(response.status).toBe(501);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe("UNIMPLEMENTED");
    emulator.stop();
  });
});

describe("resuming with Last-Event-ID", () => {
  it("replays what was missed while disconnected, or sends a fresh initial state for an unknown id", async () => {
    const { served } = await serveProxy({ lingerMs: 5_000 });
    const first = await watch(served, ROLLOUT);
    await first.next(); // retry
    await first.take(5);
    const synced = await first.next();
    expect(synced?.id).toBeDefined();
    await terminate(served, `${ROLLOUT}/jobRuns/b`);
    const seen = await first.next();
    expect(briefWatchJson(JSON.parse(seen?.data ?? "{}"))).toBe("CHANGED b TERMINATING");
    first.close();
    // While nobody watches (the channel lingers), d is terminated.
    await terminate(served, `${ROLLOUT}/jobRuns/d`);
    const again = await watch(served, ROLLOUT, { headers: { "last-event-id": seen?.id ?? "" } });
    // The changes after the last one seen, and no initial state: d's termination, missed while
    // disconnected, then both runs finishing. b finishes on the emulator's clock, which a busy machine
    // may run past d's termination, so only each run's own order is fixed.
    const resumed = (await again.take(3)).map(briefWatchJson);
    expect([...resumed].sort()).toEqual([
      "CHANGED b TERMINATED",
      "CHANGED d TERMINATED",
      "CHANGED d TERMINATING",
    ]);
    expect(resumed.indexOf("CHANGED d TERMINATING")).toBeLessThan(resumed.indexOf("CHANGED d TERMINATED"));

    const stale = await watch(served, ROLLOUT, { headers: { "last-event-id": "zzzz.7" } });
    const fresh = (await stale.take(6)).map(briefWatchJson);
    expect(fresh.filter((line) => line.startsWith("EXISTING"))).toHaveLength(5);
    expect(fresh.at(-1)).toBe("SYNCED");
  });
});

describe("limits", () => {
  it("refuses a caller past its watch streams with 429 RESOURCE_EXHAUSTED, and admits it again once one closes", async () => {
    const { served, hub } = await serveProxy({ maxPerCaller: 2 });
    const one = await watch(served, ROLLOUT);
    await watch(served, ROLLOUT);
    const third = await watch(served, ROLLOUT);
    expect(third.status).toBe(429);
    const body = JSON.parse(await third.text()) as {
      error: { status: string; details: { reason?: string }[] };
    };
    expect(body.error.status).toBe("RESOURCE_EXHAUSTED");
    expect(body.error.details.map((d) => d.reason)).toContain("TOO_MANY_WATCHES");
    // Another caller is not counted against this one.
    expect((await watch(served, ROLLOUT, { key: KEYS.operator })).status).toBe(200);
    one.close();
    await until(() => hub.stats.streams === 2, "the closed stream to be let go");
    expect((await watch(served, ROLLOUT)).status).toBe(200);
  });

  it("sends a heartbeat comment on a quiet stream", async () => {
    const { served } = await serveProxy({ heartbeatMs: 50 });
    const stream = await watch(served, ROLLOUT);
    await stream.take(6);
    const quiet = await stream.next({ comments: true, timeoutMs: 1000 });
    expect(quiet?.comments).toContain("heartbeat");
  });

  it("ends a stream at its lifetime, and the client resumes where it was", async () => {
    const { served } = await serveProxy({ maxLifetimeMs: 300, lingerMs: 5_000 });
    const stream = await watch(served, ROLLOUT);
    await stream.take(5);
    const synced = await stream.next();
    const rest = await stream.rest(2000);
    expect(rest.flatMap((m) => m.comments).join(" ")).toMatch(/lifetime/);
    await terminate(served, `${ROLLOUT}/jobRuns/e`);
    const resumed = await watch(served, ROLLOUT, { headers: { "last-event-id": synced?.id ?? "" } });
    expect((await resumed.take(1)).map(briefWatchJson)).toEqual(["CHANGED e TERMINATING"]);
  });

  it("tells a reader that fell behind, in a final event, and lets it go", async () => {
    const { served, emulator, hub, subscriptions } = await serveProxy({ maxBacklogBytes: 64 * 1024 });
    const stream = await watch(served, ROLLOUT);
    await stream.take(6);
    stream.pause();
    // Imports that change every run, each event carrying a large run: far more than the socket's
    // buffers and the backlog bound together.
    const big = "x".repeat(8 * 1024);
    for (let round = 0; round < 40 && hub.stats.streams > 0; round += 1) {
      const runs = Array.from({ length: 100 }, (_, i) =>
        runJson(ROLLOUT, `bulk-${i}`, "FAILED", { deployJobRun: { failureMessage: `${round}${big}` } }),
      );
      emulator.importJobRuns({ jobRuns: runs });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => hub.stats.streams === 0, "the slow stream to be closed", 5000);
    expect(subscriptions()).toBe(0);
    stream.resume();
    const rest = await stream.rest(5000);
    const last = rest.at(-1);
    expect(last?.event).toBe("error");
    const error = (
      JSON.parse(last?.data ?? "{}") as { error: { status: string; details: { reason?: string }[] } }
    ).error;
    expect(error.status).toBe("RESOURCE_EXHAUSTED");
    expect(error.details.map((d) => d.reason)).toContain("WATCH_READER_TOO_SLOW");
  });
});

describe("cleaning up", () => {
  it("a disconnect ends the stream and releases the emulator subscription", async () => {
    const { served, hub, subscriptions } = await serveProxy();
    const a = await watch(served, ROLLOUT);
    const b = await watch(served, ROLLOUT, { query: "filter=state%3D%22IN_PROGRESS%22" });
    const c = await watch(served, ROLLOUT);
    await Promise.all([a.take(6), b.take(5), c.take(6)]);
    // Two channels: one per (parent, filter), however many streams each has.
    expect(hub.stats).toEqual({ streams: 3, channels: 2 });
    expect(subscriptions()).toBe(2);
    a.close();
    b.close();
    await until(() => hub.stats.streams === 1, "two streams to be let go");
    expect(hub.stats.channels).toBe(1);
    expect(subscriptions()).toBe(1);
    c.close();
    await until(() => hub.stats.channels === 0, "the last channel to close");
    expect(subscriptions()).toBe(0);
  });

  it("a lingering channel is closed once nobody has reconnected in time", async () => {
    const { served, hub, subscriptions } = await serveProxy({ lingerMs: 100 });
    const stream = await watch(served, ROLLOUT);
    await stream.take(6);
    stream.close();
    await until(() => hub.stats.streams === 0, "the stream to be let go");
    expect(subscriptions()).toBe(1);
    await until(() => subscriptions() === 0, "the channel to stop lingering");
    expect(hub.stats.channels).toBe(0);
  });
});
