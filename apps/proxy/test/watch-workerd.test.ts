// The google-mode watch of the Worker build (dist/worker.bundle.js) in real workerd through
// miniflare: watch streams forwarded to the WatchChannelObject Durable Object of their (parent,
// filter), polled on the object's alarm, against a fake Google on loopback (our own proxy over an
// emulator, auth off, plus Google's token endpoint) that counts its listings; and each caller's
// streams counted across all the objects by its ledger object (WATCH_MAX_PER_CALLER).
import { generateKeyPairSync } from "node:crypto";
import { WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import type { JobRunJson } from "@jobrun/core";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy, hashApiKey } from "../src/index.js";
import { KEYS } from "./support/keys.js";
import { type Served, serveFetch } from "./support/serve.js";
import { briefWatchJson, openSse, type SseConnection } from "./support/sse-reader.js";
import { until } from "./support/wait.js";

const bundle = new URL("../dist/worker.bundle.js", import.meta.url).pathname;
const ROLLOUT =
  "projects/acme/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const AUDIENCE = "https://jobrun-proxy.example.workers.dev/pubsub/push";

const runJson = (id: string): JobRunJson => ({
  name: `${ROLLOUT}/jobRuns/${id}`,
  jobId: "deploy",
  phaseId: "stable",
  state: "IN_PROGRESS",
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
});

const emulator = createEmulatorBackend({
  jobRuns: { jobRuns: [runJson("a"), runJson("b"), runJson("c")] },
  terminateDelayMs: 600_000,
});
let listings = 0;
let google: Served;
let jwks: Served;
let signingKey: CryptoKey;
const workers: Miniflare[] = [];
const connections: SseConnection[] = [];

beforeAll(async () => {
  const real = createProxy({ backend: emulator, auth: "none", log: false });
  google = await serveFetch((request, env) => {
    const path = new URL(request.url).pathname;
    if (path === "/token")
      return Response.json({ access_token: "ya29.worker-own", expires_in: 3600, token_type: "Bearer" });
    if (path.endsWith("/jobRuns")) listings += 1;
    return real.fetch(request, env);
  });
  const keys = await generateKeyPair("RS256");
  signingKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = await serveFetch(() => Response.json({ keys: [jwk] }));
}, 30_000);
afterAll(async () => {
  for (const connection of connections) connection.close();
  for (const worker of workers) await worker.dispose();
  emulator.stop();
  await google.close();
  await jwks.close();
});

/** What the Worker's runtime printed (its console), when a test asks for it. */
interface Printed {
  text: string;
}

async function startWorker(vars: Record<string, string>, printed?: Printed): Promise<string> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const serviceAccount = {
    type: "service_account",
    client_email: "proxy@acme.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    token_uri: `${google.url}/token`,
  };
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
    durableObjects: { WATCH_CHANNELS: { className: "WatchChannelObject", useSQLite: true } },
    bindings: {
      LOG_REQUESTS: "off",
      BACKEND: "google",
      UPSTREAM: google.url,
      GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(serviceAccount),
      RATE_LIMIT_PER_MINUTE: "0",
      CALLER_KEYS: JSON.stringify({
        keys: [
          { id: "reader", hash: await hashApiKey(KEYS.reader), role: "reader", scopes: ["projects/acme"] },
        ],
      }),
      ...vars,
    },
    host: "127.0.0.1",
    port: 0,
    ...(printed === undefined
      ? {}
      : {
          handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => {
            for (const output of [stdout, stderr])
              output.on("data", (chunk: Buffer) => {
                printed.text += chunk.toString();
              });
          },
        }),
  });
  workers.push(mf);
  return (await mf.ready).toString().replace(/\/$/, "");
}

async function watch(url: string, options: { filter?: string; key?: string } = {}): Promise<SseConnection> {
  const query = options.filter === undefined ? "" : `?filter=${encodeURIComponent(options.filter)}`;
  const connection = await openSse(`${url}/v1/${ROLLOUT}/jobRuns:watch${query}`, {
    authorization: `Bearer ${options.key ?? KEYS.reader}`,
  });
  connections.push(connection);
  return connection;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Worker's google-mode watch in workerd (a Durable Object per parent)", () => {
  it("gives two watch streams one upstream poll on the object's alarm, and a change reaches both", async () => {
    const url = await startWorker({ WATCH_INTERVAL_SECONDS: "0.3" });
    const first = await watch(url);
    const second = await watch(url);
    for (const stream of [first, second]) {
      expect(stream.status).toBe(200);
      expect((await stream.take(4, 5000)).map(briefWatchJson).sort()).toEqual([
        "EXISTING a IN_PROGRESS",
        "EXISTING b IN_PROGRESS",
        "EXISTING c IN_PROGRESS",
        "SYNCED",
      ]);
    }
    const before = listings;
    await sleep(3_000);
    const listed = listings - before;
    // One poll per 0.3 s for both streams (10 in 3 s), not one per stream (20).
    expect(listed).toBeGreaterThanOrEqual(6);
    expect(listed).toBeLessThanOrEqual(11);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    for (const stream of [first, second])
      expect((await stream.take(1, 3000)).map(briefWatchJson)).toEqual(["CHANGED a TERMINATING"]);
    first.close();
    second.close();
    // The object is the only poller: disposing this Worker leaves no other poll behind.
    await workers.pop()!.dispose();
  }, 30_000);

  it("stops polling within seconds of its last watcher disconnecting, not two 15 s heartbeats later", async () => {
    const url = await startWorker({ WATCH_INTERVAL_SECONDS: "0.3" });
    const stream = await watch(url);
    expect((await stream.take(4, 5000)).map(briefWatchJson)).toContain("SYNCED");
    const before = listings;
    await sleep(1_000);
    expect(listings - before).toBeGreaterThanOrEqual(2);
    stream.close();
    // workerd tells the object only when a write to the gone watcher fails: the object's heartbeat
    // (here 1 s, its shortest) is that write. Within 4 s of the disconnect the polls have stopped
    // (measured: 2 s; it was 29 s with the 15 s heartbeat).
    await sleep(4_000);
    const settled = listings;
    await sleep(1_500);
    expect(listings).toBe(settled);
    await workers.pop()!.dispose();
  }, 30_000);

  it("refuses a watch outside the caller's scopes before any object is asked", async () => {
    const url = await startWorker({ WATCH_INTERVAL_SECONDS: "600" });
    const before = listings;
    const other = await openSse(`${url}/v1/${ROLLOUT.replace("acme", "globex")}/jobRuns:watch`, {
      authorization: `Bearer ${KEYS.reader}`,
    });
    connections.push(other);
    expect(other.status).toBe(403);
    expect(JSON.parse(await other.text()).error.status).toBe("PERMISSION_DENIED");
    expect(listings).toBe(before);
  }, 30_000);

  it("polls at once on a signed Pub/Sub push, through the objects' directory, once for both streams", async () => {
    const url = await startWorker({
      WATCH_INTERVAL_SECONDS: "600",
      PUBSUB_AUDIENCE: AUDIENCE,
      PUBSUB_JWKS_URL: `${jwks.url}/certs`,
    });
    const first = await watch(url);
    const second = await watch(url);
    for (const stream of [first, second]) await stream.take(4, 5000);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    // The directory learns of the channel just after it opened.
    await sleep(200);
    const notice = {
      message: {
        attributes: {
          ResourceType: "JobRun",
          Action: "Terminated",
          ProjectNumber: "123456789012",
          Location: "us-central1",
          DeliveryPipelineId: "web",
          ReleaseId: "rel-1",
          RolloutId: "rel-1-to-prod-0001",
          JobRunId: "b",
        },
        messageId: "42",
      },
      subscription: "projects/acme/subscriptions/jobrun-proxy",
    };
    const unsigned = await fetch(`${url}/pubsub/push`, { method: "POST", body: JSON.stringify(notice) });
    expect(unsigned.status).toBe(401);
    const before = listings;
    const token = await new SignJWT({ email: "push@acme.iam.gserviceaccount.com", email_verified: true })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer("https://accounts.google.com")
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(signingKey);
    const pushed = await fetch(`${url}/pubsub/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(notice),
    });
    expect(pushed.status).toBe(204);
    for (const stream of [first, second])
      expect((await stream.take(1, 3000)).map(briefWatchJson)).toEqual(["CHANGED b TERMINATING"]);
    expect(listings - before).toBe(1);
  }, 30_000);
});

describe("the Worker's per-caller watch limit, counted across all Durable Objects", () => {
  /** The reader and a second caller (the operator), both on projects/acme. */
  const twoCallers = async () =>
    JSON.stringify({
      keys: [
        { id: "reader", hash: await hashApiKey(KEYS.reader), role: "reader", scopes: ["projects/acme"] },
        {
          id: "operator",
          hash: await hashApiKey(KEYS.operator),
          role: "operator",
          scopes: ["projects/acme"],
        },
      ],
    });
  /**
   * Reads a stream up to the end of its initial state (how many runs it has depends on the tests
   * before: some runs are terminating by now).
   */
  async function synced(stream: SseConnection): Promise<void> {
    for (;;) {
      const message = await stream.next({ timeoutMs: 5000 });
      if (message === undefined) throw new Error("the stream ended before its initial state");
      if (message.data !== undefined && briefWatchJson(JSON.parse(message.data)) === "SYNCED") return;
    }
  }
  // Each filter is a channel of its own: its own Durable Object.
  const CHANNELS = ["", 'state="IN_PROGRESS"', 'jobId="deploy"', 'phaseId="stable"'] as const;

  it("refuses a caller's third stream over two objects with 429, still after the leases' TTL, spares other callers, and admits it again soon after one closes", async () => {
    const url = await startWorker({
      WATCH_INTERVAL_SECONDS: "0.3",
      WATCH_MAX_PER_CALLER: "2",
      CALLER_KEYS: await twoCallers(),
    });
    const first = await watch(url, { filter: CHANNELS[0] });
    const second = await watch(url, { filter: CHANNELS[1] });
    for (const stream of [first, second]) {
      expect(stream.status).toBe(200);
      await synced(stream);
    }
    const third = await watch(url, { filter: CHANNELS[2] });
    expect(third.status).toBe(429);
    expect(third.headers["retry-after"]).toBe("2");
    expect(third.headers["x-request-id"]).toBeDefined();
    const { error } = JSON.parse(await third.text());
    expect(error).toMatchObject({
      code: 429,
      status: "RESOURCE_EXHAUSTED",
      message: "this caller already holds 2 watch streams, the most one caller may hold; close one first",
    });
    expect(error.details).toContainEqual(
      expect.objectContaining({
        reason: "TOO_MANY_WATCHES",
        domain: "jobrun-proxy",
        metadata: { limit: "2" },
      }),
    );
    expect(error.details).toContainEqual(
      expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" }),
    );
    // A lease lives 3 probes (3 s here) unless renewed: the objects renew them on every 1 s probe, so
    // past the TTL the caller still holds two.
    await sleep(4_000);
    const fourth = await watch(url, { filter: CHANNELS[3] });
    expect(fourth.status).toBe(429);
    // Another caller has its own count.
    const other = await watch(url, { filter: CHANNELS[2], key: KEYS.operator });
    expect(other.status).toBe(200);
    // The object learns that the reader went on its next probe write or the one after (1 s apart)
    // and releases the lease then: a new stream is admitted within 4 s (measured: 2.0 s), before the
    // lease would have expired unrenewed (measured without the release: 4.9 s).
    first.close();
    const closedAt = Date.now();
    let reopened: SseConnection | undefined;
    while (reopened === undefined && Date.now() - closedAt < 4_000) {
      const attempt = await watch(url, { filter: CHANNELS[2] });
      if (attempt.status === 200) reopened = attempt;
      else {
        expect(attempt.status).toBe(429);
        await attempt.text();
        await sleep(100);
      }
    }
    expect(reopened?.status).toBe(200);
    await synced(reopened!);
    for (const stream of [second, other, reopened!]) stream.close();
    await workers.pop()!.dispose();
  }, 30_000);

  it("admits exactly the limit of a caller's streams opened all at once over four objects", async () => {
    const url = await startWorker({ WATCH_INTERVAL_SECONDS: "600", WATCH_MAX_PER_CALLER: "2" });
    const all = await Promise.all([...CHANNELS, ...CHANNELS].map((filter) => watch(url, { filter })));
    expect(all.map((stream) => stream.status).sort()).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
    for (const stream of all) stream.close();
    await workers.pop()!.dispose();
  }, 30_000);

  it("holds a caller to 10 streams by default, however they spread over objects; WATCH_MAX_PER_CALLER=0 sets no limit", async () => {
    const limited = await startWorker({ WATCH_INTERVAL_SECONDS: "600" });
    const opened = [];
    for (let i = 0; i < 10; i++) opened.push(await watch(limited, { filter: CHANNELS[i % 2]! }));
    expect(opened.map((stream) => stream.status)).toEqual(Array(10).fill(200));
    const eleventh = await watch(limited, { filter: CHANNELS[2] });
    expect(eleventh.status).toBe(429);
    expect(JSON.parse(await eleventh.text()).error.details).toContainEqual(
      expect.objectContaining({ reason: "TOO_MANY_WATCHES", metadata: { limit: "10" } }),
    );
    for (const stream of opened) stream.close();
    await workers.pop()!.dispose();

    const unlimited = await startWorker({ WATCH_INTERVAL_SECONDS: "600", WATCH_MAX_PER_CALLER: "0" });
    const many = [];
    // Eleven on one object: no count per object either.
    for (let i = 0; i < 11; i++) many.push(await watch(unlimited));
    expect(many.map((stream) => stream.status)).toEqual(Array(11).fill(200));
    for (const stream of many) stream.close();
    await workers.pop()!.dispose();
  }, 30_000);

  const MAX_PER_CALLER_RULE = "WATCH_MAX_PER_CALLER must be a whole number of watch streams (0 = no limit)";
  const INTERVAL_RULE = "WATCH_INTERVAL_SECONDS must be a number of seconds above 0";
  it.each([
    ["WATCH_MAX_PER_CALLER", "abc", MAX_PER_CALLER_RULE],
    ["WATCH_MAX_PER_CALLER", "-1", MAX_PER_CALLER_RULE],
    ["WATCH_MAX_PER_CALLER", "2.5", MAX_PER_CALLER_RULE],
    ["WATCH_MAX_PER_CALLER", "", MAX_PER_CALLER_RULE],
    ["WATCH_INTERVAL_SECONDS", "0", INTERVAL_RULE],
  ])(
    "is misconfigured with %s=%j: a generic 500, and a log line naming the var",
    async (name, value, rule) => {
      const printed: Printed = { text: "" };
      const url = await startWorker({ [name]: value }, printed);
      const answer = await fetch(`${url}/v1/${ROLLOUT}/jobRuns:watch`, {
        headers: { authorization: `Bearer ${KEYS.reader}` },
      });
      expect(answer.status).toBe(500);
      const { error } = (await answer.json()) as { error: { status: string; message: string } };
      expect(error).toMatchObject({
        status: "INTERNAL",
        message: "the proxy is misconfigured; its logs say how",
      });
      await until(() => printed.text.includes("proxy misconfigured"), "the misconfiguration's log line");
      expect(printed.text).toContain(rule);
      await workers.pop()!.dispose();
    },
    30_000,
  );
});
