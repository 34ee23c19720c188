// Google-mode watch events carry what Google sent, as get and list hand it on: a field newer than the
// schema and an enum value it does not know reach the watcher unchanged, in the initial state and in
// a change. The fake Google here is a fixed JSON answer (the emulator behind our own proxy could not
// send a field the schema lacks); the poller, the hub and the streams are the real ones, over HTTP.
import { staticToken } from "@jobrun/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoogleBackend, createProxy } from "../src/index.js";
import { GooglePoller } from "../src/watch/google-poller.js";
import { WatchHub } from "../src/watch/hub.js";
import { type Served, serveFetch } from "./support/serve.js";
import { openSse, type SseConnection } from "./support/sse-reader.js";
import { until } from "./support/wait.js";

const ROLLOUT =
  "projects/acme/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";

/** Google's JSON of a run in a future API version: a field and a state this schema does not have. */
const futureRun = (version: number) => ({
  name: `${ROLLOUT}/jobRuns/future`,
  uid: "uid-future",
  jobId: "deploy",
  phaseId: "stable",
  state: version === 0 ? "PAUSED_FOR_APPROVAL" : "IN_PROGRESS",
  createTime: "2025-03-01T00:00:00Z",
  etag: `v${version}`,
  deployJobRun: {
    build: "projects/acme/locations/us-central1/builds/b1",
    artifactDigest: `sha256:${version}`,
  },
  rolloutPolicy: { canaryPercent: 10 + version, gates: ["security", "load"] },
});
const knownRun = {
  name: `${ROLLOUT}/jobRuns/known`,
  uid: "uid-known",
  jobId: "verify",
  phaseId: "stable",
  state: "SUCCEEDED",
  createTime: "2025-03-01T00:00:00Z",
  etag: "k1",
  verifyJobRun: {},
};

let version = 0;
let fake: Served;
let proxy: Served;
let hub: WatchHub;
const connections: SseConnection[] = [];

beforeAll(async () => {
  fake = await serveFetch((request) => {
    if (!new URL(request.url).pathname.endsWith("/jobRuns"))
      return Response.json(
        { error: { code: 404, message: "not here", status: "NOT_FOUND" } },
        { status: 404 },
      );
    return Response.json({ jobRuns: [futureRun(version), knownRun] });
  });
  const backend = createGoogleBackend({
    auth: staticToken("ya29.proxy-own"),
    upstream: fake.url,
    retry: false,
  });
  hub = new WatchHub({
    source: new GooglePoller({ backend, intervalMs: 100 }),
    maxPerCaller: 0,
    lingerMs: 0,
  });
  proxy = await serveFetch(createProxy({ backend, auth: "none", log: false, watch: hub }).fetch);
});
afterAll(async () => {
  for (const connection of connections) connection.close();
  hub.close();
  await proxy.close();
  await fake.close();
});

async function watch(query = ""): Promise<SseConnection> {
  const connection = await openSse(`${proxy.url}/v1/${ROLLOUT}/jobRuns:watch${query}`);
  connections.push(connection);
  return connection;
}

type Event = { type: string | number; jobRun?: Record<string, unknown> & { name: string } };

const byName = (events: Event[], id: string) => events.find((e) => e.jobRun?.name.endsWith(`/${id}`));

describe("google mode: watch events carry Google's JSON, newer fields and enum values included", () => {
  it("sends a field and an enum value the schema does not know, in the initial state and in a change", async () => {
    version = 0;
    const stream = await watch();
    const initial = (await stream.take(3)) as Event[];
    expect(initial.at(-1)).toEqual({ type: "SYNCED" });
    expect(byName(initial, "future")).toEqual({ type: "EXISTING", jobRun: futureRun(0) });
    expect(byName(initial, "known")).toEqual({ type: "EXISTING", jobRun: knownRun });

    version = 1;
    const [changed] = (await stream.take(1, 3000)) as Event[];
    expect(changed).toEqual({ type: "CHANGED", jobRun: futureRun(1) });
    stream.close();
    await until(() => hub.stats.channels === 0, "the channel to close with its last watcher");
  });

  it("with enum-encoding=int, turns the enums it knows into numbers and keeps the rest as Google sent it", async () => {
    version = 0;
    const stream = await watch("?$alt=json;enum-encoding=int");
    const initial = (await stream.take(3)) as Event[];
    expect(initial.at(-1)).toEqual({ type: 2 });
    // SUCCEEDED is 2 in JobRun.State; the unknown state stays a name, which proto3 JSON readers take.
    expect(byName(initial, "known")).toEqual({ type: 1, jobRun: { ...knownRun, state: 2 } });
    expect(byName(initial, "future")).toEqual({ type: 1, jobRun: futureRun(0) });
  });
});
