// POST /pubsub/push over real HTTP: the google-mode proxy with a poll interval far longer than any
// test, so only a push can move a watcher; a fake Google on loopback (our own proxy over an emulator)
// counting its listings; a JWKS on loopback standing in for Google's keys, and tokens signed with a
// local key pair the way Pub/Sub's OIDC tokens are.
import { staticToken } from "@jobrun/client";
import type { JobRunJson } from "@jobrun/core";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createGoogleBackend, createProxy, mayBeUnder } from "../src/index.js";
import { GooglePoller } from "../src/watch/google-poller.js";
import { WatchHub } from "../src/watch/hub.js";
import { promptsOf } from "../src/watch/pubsub-push.js";
import { type Served, serveFetch } from "./support/serve.js";
import { briefWatchJson, openSse, type SseConnection } from "./support/sse-reader.js";

const AUDIENCE = "https://jobrun-proxy.example.com/pubsub/push";
const PUSHER = "pubsub-push@acme.iam.gserviceaccount.com";
const PROJECT_NUMBER = "123456789012";
const ROLLOUT =
  "projects/acme/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const OTHER_PIPELINE =
  "projects/acme/locations/us-central1/deliveryPipelines/api/releases/rel-1/rollouts/rel-1-to-prod-0001";
const EVERYWHERE = "projects/acme/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

const runJson = (parent: string, id: string): JobRunJson => ({
  name: `${parent}/jobRuns/${id}`,
  jobId: "deploy",
  phaseId: "stable",
  state: "IN_PROGRESS",
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
});

let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let strangerKeys: Awaited<ReturnType<typeof generateKeyPair>>;
let jwks: Served;
let fake: Served;
let proxy: Served;
let emulator: ReturnType<typeof createEmulatorBackend>;
let poller: GooglePoller;
let hub: WatchHub;
let listings = 0;
const connections: SseConnection[] = [];

beforeAll(async () => {
  keys = await generateKeyPair("RS256");
  strangerKeys = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "google-1", alg: "RS256", use: "sig" };
  jwks = await serveFetch(() => Response.json({ keys: [jwk] }));
  emulator = createEmulatorBackend({
    jobRuns: { jobRuns: [runJson(ROLLOUT, "a"), runJson(ROLLOUT, "b"), runJson(OTHER_PIPELINE, "x")] },
    terminateDelayMs: 60_000,
  });
  const google = createProxy({ backend: emulator, auth: "none", log: false });
  fake = await serveFetch((request, env) => {
    if (new URL(request.url).pathname.endsWith("/jobRuns")) listings += 1;
    return google.fetch(request, env);
  });
  const backend = createGoogleBackend({
    auth: staticToken("ya29.proxy-own"),
    upstream: fake.url,
    retry: false,
  });
  // Far longer than any test: whatever moves a watcher here is a push.
  poller = new GooglePoller({ backend, intervalMs: 600_000 });
  hub = new WatchHub({ source: poller, maxPerCaller: 0, lingerMs: 0 });
  const app = createProxy({
    backend,
    auth: "none",
    log: false,
    watch: hub,
    pubsub: {
      audience: AUDIENCE,
      jwks: `${jwks.url}/certs`,
      serviceAccount: PUSHER,
      watches: promptsOf(poller),
    },
  });
  proxy = await serveFetch(app.fetch);
});
afterEach(() => {
  for (const connection of connections.splice(0)) connection.close();
});
afterAll(async () => {
  hub.close();
  emulator.stop();
  await proxy.close();
  await fake.close();
  await jwks.close();
});

interface TokenClaims {
  iss?: string;
  aud?: string;
  email?: string;
  expiresIn?: string;
  key?: CryptoKey;
}

/** An ID token as Pub/Sub attaches one: RS256, Google's issuer, the subscription's audience. */
function token(claims: TokenClaims = {}): Promise<string> {
  return new SignJWT({ email: claims.email ?? PUSHER, email_verified: true })
    .setProtectedHeader({ alg: "RS256", kid: "google-1", typ: "JWT" })
    .setIssuer(claims.iss ?? "https://accounts.google.com")
    .setAudience(claims.aud ?? AUDIENCE)
    .setSubject("109876543210987654321")
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? "1h")
    .sign(claims.key ?? keys.privateKey);
}

/** Cloud Deploy's notification of a job run event, as Pub/Sub pushes it. */
function jobRunNotice(rollout: string, id: string, action = "Terminated"): unknown {
  const [, , , location, , pipeline, , release, , rolloutId] = rollout.split("/");
  return {
    message: {
      attributes: {
        Action: action,
        DeliveryPipelineId: pipeline,
        JobRunId: id,
        Location: location,
        ProjectNumber: PROJECT_NUMBER,
        ReleaseId: release,
        Resource: `projects/${PROJECT_NUMBER}/locations/${location}/deliveryPipelines/${pipeline}/releases/${release}/rollouts/${rolloutId}/jobRuns/${id}`,
        ResourceType: "JobRun",
        RolloutId: rolloutId,
      },
      data: btoa(JSON.stringify({ message: `JobRun ${id} ${action}` })),
      messageId: "1234567890",
      publishTime: "2026-04-24T10:00:00.000Z",
    },
    subscription: "projects/acme/subscriptions/jobrun-proxy",
  };
}

async function push(body: unknown, authorization?: string): Promise<Response> {
  return fetch(`${proxy.url}/pubsub/push`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function watch(parent: string): Promise<SseConnection> {
  const connection = await openSse(`${proxy.url}/v1/${parent}/jobRuns:watch`);
  connections.push(connection);
  await connection.take(parent === OTHER_PIPELINE ? 2 : parent === EVERYWHERE ? 4 : 3);
  return connection;
}

describe("POST /pubsub/push", () => {
  it("moves a watcher at once on a signed push (the project named by number), long before the next poll", async () => {
    const stream = await watch(ROLLOUT);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    const before = listings;
    const start = performance.now();
    const acked = await push(jobRunNotice(ROLLOUT, "a"), `Bearer ${await token()}`);
    expect(acked.status).toBe(204);
    expect((await stream.take(1, 2000)).map(briefWatchJson)).toEqual(["CHANGED a TERMINATING"]);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(listings - before).toBe(1);
  });

  it("prompts every watched parent the run could be under, wildcards included, and no other", async () => {
    const exact = await watch(ROLLOUT);
    const wildcard = await watch(EVERYWHERE);
    await watch(OTHER_PIPELINE);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    const before = listings;
    expect((await push(jobRunNotice(ROLLOUT, "b"), `Bearer ${await token()}`)).status).toBe(204);
    expect((await exact.take(1)).map(briefWatchJson)).toEqual(["CHANGED b TERMINATING"]);
    expect((await wildcard.take(1)).map(briefWatchJson)).toEqual(["CHANGED b TERMINATING"]);
    // Two listings: the rollout's and the wildcard's; the other pipeline's watch is not polled.
    expect(listings - before).toBe(2);
  });

  it("acks a push about a run nobody watches without asking Google", async () => {
    await watch(ROLLOUT);
    const before = listings;
    const elsewhere = ROLLOUT.replace("/locations/us-central1/", "/locations/europe-west1/");
    expect((await push(jobRunNotice(elsewhere, "z"), `Bearer ${await token()}`)).status).toBe(204);
    // Not about a job run at all: acked, ignored.
    const release = jobRunNotice(ROLLOUT, "a") as { message: { attributes: Record<string, string> } };
    release.message.attributes.ResourceType = "Release";
    release.message.attributes.Resource = ROLLOUT.split("/rollouts/")[0]!;
    expect((await push(release, `Bearer ${await token()}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listings).toBe(before);
  });

  it("refuses a push without a valid Google token (401) or not meant for this proxy (403), and changes nothing", async () => {
    const stream = await watch(ROLLOUT);
    const before = listings;
    const notice = jobRunNotice(ROLLOUT, "a");
    const cases: [string, string | undefined, number, string][] = [
      ["no token", undefined, 401, "UNAUTHENTICATED"],
      ["not a bearer token", "Basic dXNlcjpwYXNz", 401, "UNAUTHENTICATED"],
      ["garbage", "Bearer not.a.jwt", 401, "UNAUTHENTICATED"],
      [
        "signed by another key",
        `Bearer ${await token({ key: strangerKeys.privateKey })}`,
        401,
        "UNAUTHENTICATED",
      ],
      ["expired", `Bearer ${await token({ expiresIn: "-5m" })}`, 401, "UNAUTHENTICATED"],
      [
        "another audience",
        `Bearer ${await token({ aud: "https://elsewhere.example.com" })}`,
        403,
        "PERMISSION_DENIED",
      ],
      [
        "another issuer",
        `Bearer ${await token({ iss: "https://evil.example.com" })}`,
        403,
        "PERMISSION_DENIED",
      ],
      [
        "another service account",
        `Bearer ${await token({ email: "someone@evil.iam.gserviceaccount.com" })}`,
        403,
        "PERMISSION_DENIED",
      ],
    ];
    for (const [label, authorization, status, code] of cases) {
      const response = await push(notice, authorization);
      expect(response.status, label).toBe(status);
      const error = (await response.json()).error;
      expect(error.status, label).toBe(code);
      expect(error.code, label).toBe(status);
    }
    // Both issuer spellings Google uses are accepted.
    expect(
      (await push(jobRunNotice(OTHER_PIPELINE, "x"), `Bearer ${await token({ iss: "accounts.google.com" })}`))
        .status,
    ).toBe(204);
    expect(listings).toBe(before);
    await expect(stream.next({ timeoutMs: 200 })).rejects.toThrow(/no event/);
  });

  it("answers a malformed body with 400 naming what is wrong", async () => {
    const bearer = `Bearer ${await token()}`;
    const cases: [string, RegExp][] = [
      ["{not json", /not JSON/],
      ["[]", /not a JSON object/],
      ["{}", /no "message" object/],
      [JSON.stringify({ message: { attributes: [] } }), /"message.attributes" is not an object/],
      [JSON.stringify({ message: { attributes: { ResourceType: 7 } } }), /"ResourceType" is not a string/],
    ];
    for (const [body, message] of cases) {
      const response = await push(body, bearer);
      expect(response.status, body).toBe(400);
      const error = (await response.json()).error;
      expect(error.status).toBe("INVALID_ARGUMENT");
      expect(error.message).toMatch(message);
    }
    const got = await fetch(`${proxy.url}/pubsub/push`);
    expect(got.status).toBe(405);
    expect(got.headers.get("allow")).toBe("POST");
  });
});

describe("which watched parents a push concerns", () => {
  const place = {
    project: PROJECT_NUMBER,
    location: "us-central1",
    deliveryPipeline: "web",
    release: "rel-1",
    rollout: "r1",
  };
  const parent = (
    project: string,
    location = "us-central1",
    pipeline = "web",
    release = "rel-1",
    rollout = "r1",
  ) =>
    `projects/${project}/locations/${location}/deliveryPipelines/${pipeline}/releases/${release}/rollouts/${rollout}`;
  it("matches ids and wildcards; a project number may be any project id, but not another number", () => {
    expect(mayBeUnder(place, parent("acme"))).toBe(true);
    expect(mayBeUnder(place, parent(PROJECT_NUMBER))).toBe(true);
    expect(mayBeUnder(place, parent("987"))).toBe(false);
    expect(mayBeUnder(place, parent("acme", "-", "-", "-", "-"))).toBe(true);
    expect(mayBeUnder(place, parent("acme", "europe-west1"))).toBe(false);
    expect(mayBeUnder(place, parent("acme", "-", "api", "-", "-"))).toBe(false);
    expect(mayBeUnder(place, parent("acme", "us-central1", "web", "rel-2"))).toBe(false);
    expect(mayBeUnder({ ...place, project: "acme" }, parent("globex"))).toBe(false);
    expect(mayBeUnder({ location: "us-central1" }, parent("acme"))).toBe(true);
  });
});
