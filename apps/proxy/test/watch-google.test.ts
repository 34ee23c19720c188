// The google backend's watch over real HTTP: the proxy (google backend, its shared poller) in front of
// a fake Google on loopback (our own proxy over an emulator, auth off, counting its listings), read
// as `curl -N` reads it. Only Google is faked; the poller, the hub and the streams are the real ones.
import { staticToken } from "@jobrun/client";
import type { JobRunJson } from "@jobrun/core";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulatorBackend, createGoogleBackend, createProxy } from "../src/index.js";
import { parseCli } from "../src/node/cli-args.js";
import { GooglePoller } from "../src/watch/google-poller.js";
import { WatchHub } from "../src/watch/hub.js";
import { type Served, serveFetch } from "./support/serve.js";
import { briefWatchJson, openSse, type SseConnection } from "./support/sse-reader.js";
import { until } from "./support/wait.js";

const ROLLOUT =
  "projects/acme/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const INTERVAL_MS = 200;

const runJson = (id: string, state: NonNullable<JobRunJson["state"]>): JobRunJson => ({
  name: `${ROLLOUT}/jobRuns/${id}`,
  jobId: "deploy",
  phaseId: "stable",
  state,
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
});

interface Setup {
  readonly proxy: Served;
  readonly fake: Served;
  readonly emulator: ReturnType<typeof createEmulatorBackend>;
  readonly poller: GooglePoller;
  readonly hub: WatchHub;
  /** The fake's listings of job runs so far. */
  listings(): number;
  /** Makes the fake answer every request with 503 (true) or normally again. */
  failing(on: boolean): void;
}

const setups: Setup[] = [];
const connections: SseConnection[] = [];

async function serveGoogleProxy(): Promise<Setup> {
  const emulator = createEmulatorBackend({
    jobRuns: {
      jobRuns: [runJson("a", "IN_PROGRESS"), runJson("b", "IN_PROGRESS"), runJson("c", "SUCCEEDED")],
    },
    terminateDelayMs: 60_000,
  });
  const google = createProxy({ backend: emulator, auth: "none", log: false });
  let listings = 0;
  let failing = false;
  const fake = await serveFetch((request, env) => {
    if (new URL(request.url).pathname.endsWith("/jobRuns")) listings += 1;
    if (failing) {
      return Response.json(
        { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } },
        { status: 503 },
      );
    }
    return google.fetch(request, env);
  });
  const backend = createGoogleBackend({
    auth: staticToken("ya29.proxy-own"),
    upstream: fake.url,
    retry: false,
  });
  const poller = new GooglePoller({ backend, intervalMs: INTERVAL_MS, maxBackoffMs: 1_000 });
  const hub = new WatchHub({ source: poller, maxPerCaller: 0, lingerMs: 0 });
  const proxy = await serveFetch(createProxy({ backend, auth: "none", log: false, watch: hub }).fetch);
  const setup: Setup = {
    proxy,
    fake,
    emulator,
    poller,
    hub,
    listings: () => listings,
    failing: (on) => {
      failing = on;
    },
  };
  setups.push(setup);
  return setup;
}

async function watch(setup: Setup, query = ""): Promise<SseConnection> {
  const connection = await openSse(`${setup.proxy.url}/v1/${ROLLOUT}/jobRuns:watch${query}`);
  connections.push(connection);
  return connection;
}

/** What a test reads of an event's data: its type and the run's id and state. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let setup: Setup;
beforeEach(async () => {
  setup = await serveGoogleProxy();
});
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  for (const each of setups.splice(0)) {
    each.hub.close();
    each.emulator.stop();
    await each.proxy.close();
    await each.fake.close();
  }
});
afterAll(() => {
  for (const connection of connections) connection.close();
});

describe("google mode: one shared poller per (parent, filter)", () => {
  it("gives 50 watchers the initial state from one listing, then lists once per interval for all of them", async () => {
    const streams = await Promise.all(Array.from({ length: 50 }, () => watch(setup)));
    for (const stream of streams) {
      expect(stream.status).toBe(200);
      expect((await stream.take(4)).map(briefWatchJson).sort()).toEqual([
        "EXISTING a IN_PROGRESS",
        "EXISTING b IN_PROGRESS",
        "EXISTING c SUCCEEDED",
        "SYNCED",
      ]);
    }
    expect(setup.poller.watched).toBe(1);
    const before = setup.listings();
    const windowMs = 10 * INTERVAL_MS;
    await sleep(windowMs);
    const listed = setup.listings() - before;
    // One listing per interval for all 50 (a timer's lateness may cost one), never one per watcher.
    expect(listed).toBeGreaterThanOrEqual(8);
    expect(listed).toBeLessThanOrEqual(11);
  });

  it("sends a change on Google to every watcher after the next poll, as CHANGED and ADDED", async () => {
    const streams = await Promise.all(Array.from({ length: 50 }, () => watch(setup)));
    for (const stream of streams) await stream.take(4);
    const start = performance.now();
    await setup.emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    for (const stream of streams)
      expect((await stream.take(1)).map(briefWatchJson)).toEqual(["CHANGED a TERMINATING"]);
    // The next poll is at most one interval away (plus the listing itself and a busy machine).
    expect(performance.now() - start).toBeLessThan(INTERVAL_MS + 1_000);
    setup.emulator.importJobRuns({ jobRuns: [runJson("d", "IN_PROGRESS")] });
    for (const stream of streams)
      expect((await stream.take(1)).map(briefWatchJson)).toEqual(["ADDED d IN_PROGRESS"]);
  });

  it("tells a filtered watch about a run that leaves its filter as REMOVED", async () => {
    const stream = await watch(setup, `?filter=${encodeURIComponent('state="IN_PROGRESS"')}`);
    expect((await stream.take(3)).map(briefWatchJson).sort()).toEqual([
      "EXISTING a IN_PROGRESS",
      "EXISTING b IN_PROGRESS",
      "SYNCED",
    ]);
    await setup.emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    expect((await stream.take(1)).map(briefWatchJson)).toEqual(["REMOVED b IN_PROGRESS"]);
  });

  it("stops polling when the last watcher leaves, and starts again for the next one", async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => watch(setup)));
    for (const stream of streams) await stream.take(4);
    for (const stream of streams) stream.close();
    await until(() => setup.poller.watched === 0, "the poller to stop");
    const after = setup.listings();
    await sleep(4 * INTERVAL_MS);
    expect(setup.listings()).toBe(after);
    const again = await watch(setup);
    expect((await again.take(4)).map(briefWatchJson)).toContain("SYNCED");
    expect(setup.listings()).toBe(after + 1);
  });

  it("ends the watchers' streams with Google's error, then refuses new watches without asking Google until it cooled down", async () => {
    const streams = await Promise.all(Array.from({ length: 3 }, () => watch(setup)));
    for (const stream of streams) await stream.take(4);
    setup.failing(true);
    for (const stream of streams) {
      const rest = await stream.rest(3000);
      const error = rest.find((message) => message.event === "error");
      expect(JSON.parse(error?.data ?? "{}").error).toMatchObject({ code: 503, status: "UNAVAILABLE" });
    }
    await endedAll(streams);
    const failedListings = setup.listings();
    // A watcher reconnecting at once is told the same, and Google is not asked again.
    const refused = await watch(setup);
    expect(refused.status).toBe(503);
    expect(JSON.parse(await refused.text()).error.status).toBe("UNAVAILABLE");
    expect(setup.listings()).toBe(failedListings);
    // Once the cooldown (1 s after the first failure: one interval, but at least a second) is over,
    // Google is asked again.
    setup.failing(false);
    await sleep(1_100);
    const back = await watch(setup);
    expect(back.status).toBe(200);
    expect((await back.take(4)).map(briefWatchJson)).toContain("SYNCED");
    expect(setup.listings()).toBe(failedListings + 1);
  });

  it("answers a filter Google refuses with Google's error, not a stream", async () => {
    const refused = await watch(setup, `?filter=${encodeURIComponent("state=")}`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(await refused.text()).error.status).toBe("INVALID_ARGUMENT");
    expect(setup.poller.watched).toBe(0);
  });
});

async function endedAll(streams: readonly SseConnection[]): Promise<void> {
  await Promise.all(streams.map((stream) => stream.ended));
}

describe("the CLI's google watch flags", () => {
  const parse = (...argv: string[]) => parseCli(argv, {});
  it("takes --watch-interval and the --pubsub-* flags for the google backend", () => {
    const config = parse(
      "--backend",
      "google",
      "--watch-interval",
      "0.5",
      "--pubsub-audience",
      "https://proxy.example.com/pubsub/push",
      "--pubsub-service-account",
      "push@acme.iam.gserviceaccount.com",
    );
    expect(config).toMatchObject({
      watchIntervalMs: 500,
      pubsub: {
        audience: "https://proxy.example.com/pubsub/push",
        jwks: undefined,
        serviceAccount: "push@acme.iam.gserviceaccount.com",
      },
    });
    expect(parse("--backend", "google")).toMatchObject({ watchIntervalMs: 2000, pubsub: undefined });
  });

  it("refuses them where they mean nothing, with one clear line", () => {
    expect(() => parse("--watch-interval", "1")).toThrow(/--watch-interval only applies to --backend google/);
    expect(() => parse("--pubsub-audience", "x")).toThrow(/only applies to --backend google/);
    expect(() => parse("--backend", "google", "--watch-interval", "0")).toThrow(/--watch-interval must be/);
    expect(() => parse("--backend", "google", "--pubsub-jwks", "https://keys.example.com")).toThrow(
      /need --pubsub-audience/,
    );
    expect(() =>
      parse("--backend", "google", "--pubsub-audience", "aud", "--pubsub-jwks", "ftp://keys"),
    ).toThrow(/is not an http\(s\) URL/);
  });
});
