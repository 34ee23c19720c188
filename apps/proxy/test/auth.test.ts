// The auth matrix, scopes (wildcards included), roles, JWTs, rate limits, CORS, ETags, 404/405 and
// logs, through app.request() (no server): every refusal happens before the backend is called.
import { conformanceFixture, OTHER_PROJECT, PROJECT, rollouts } from "@jobrun/conformance";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmulatorBackend,
  createJwtVerifier,
  createProxy,
  type LogEntry,
  memoryRateLimiter,
} from "../src/index.js";
import { spyOn } from "./support/backend-spy.js";
import { KEYS, testKeyStore } from "./support/keys.js";

const fixture = conformanceFixture(50);
const emulator = createEmulatorBackend({ jobRuns: { jobRuns: fixture.jobRuns }, terminateDelayMs: 50 });
const backend = spyOn(emulator);
const logs: LogEntry[] = [];
let app: ReturnType<typeof createProxy>;
let signer: CryptoKey;

const runIn = (prefix: string, state?: string) =>
  emulator
    .exportJobRuns()
    .jobRuns.find((r) => r.name!.startsWith(`${prefix}/`) && (state === undefined || r.state === state))!
    .name!;
const finished = runIn(rollouts.webRel1, "SUCCEEDED");
const other = runIn(rollouts.other);
const europe = runIn(rollouts.apiRel1);
const allLocations = `projects/${PROJECT}/locations/-/deliveryPipelines/-/releases/-/rollouts/-`;
const allInEurope = `projects/${PROJECT}/locations/europe-west1/deliveryPipelines/-/releases/-/rollouts/-`;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  signer = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
  app = createProxy({
    backend,
    auth: {
      keys: await testKeyStore(PROJECT, OTHER_PROJECT),
      jwt: createJwtVerifier({
        issuer: "https://issuer.test",
        audience: "jobrun-proxy",
        jwks: { keys: [jwk] },
      }),
    },
    cors: { origins: ["https://dash.example.com"] },
    log: (entry) => logs.push(entry),
  });
});
afterAll(() => emulator.stop());

async function call(
  path: string,
  key?: string,
  init: Omit<RequestInit, "headers"> & { headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    ...init.headers,
  };
  return app.request(path, { ...init, headers });
}

async function expectStatus(response: Response, status: number, code?: string) {
  expect(response.status).toBe(status);
  if (code !== undefined) {
    const body = (await response.json()) as { error: { status: string; code: number; message: string } };
    expect(body.error.status).toBe(code);
    expect(body.error.code).toBe(status);
    return body.error.message;
  }
  return "";
}

async function refusedBeforeBackend(run: () => Promise<Response>, status: number, code: string) {
  const before = backend.calls;
  const message = await expectStatus(await run(), status, code);
  expect(backend.calls).toBe(before);
  return message;
}

describe("authentication", () => {
  it("refuses a request without credentials with 401 and WWW-Authenticate", async () => {
    const response = await call(`/v1/${finished}`);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    await refusedBeforeBackend(async () => call(`/v1/${finished}`), 401, "UNAUTHENTICATED");
  });

  it("refuses a wrong key, a malformed header and an empty key", async () => {
    await refusedBeforeBackend(() => call(`/v1/${finished}`, "jrp_nope"), 401, "UNAUTHENTICATED");
    await refusedBeforeBackend(
      () => call(`/v1/${finished}`, undefined, { headers: { authorization: `Basic ${btoa("a:b")}` } }),
      401,
      "UNAUTHENTICATED",
    );
    await refusedBeforeBackend(
      () => call(`/v1/${finished}`, undefined, { headers: { "x-goog-api-key": " " } }),
      401,
      "UNAUTHENTICATED",
    );
  });

  it("takes the key from x-goog-api-key too", async () => {
    await expectStatus(
      await call(`/v1/${finished}`, undefined, { headers: { "x-goog-api-key": KEYS.reader } }),
      200,
    );
  });
});

describe("roles and scopes", () => {
  it("lets a reader get and list in scope, and refuses its terminate with 403", async () => {
    await expectStatus(await call(`/v1/${finished}`, KEYS.reader), 200);
    await expectStatus(await call(`/v1/${rollouts.webRel1}/jobRuns`, KEYS.reader), 200);
    const target = runIn(rollouts.terminate, "IN_PROGRESS");
    const message = await refusedBeforeBackend(
      () => call(`/v1/${target}:terminate`, KEYS.reader, { method: "POST", body: "{}" }),
      403,
      "PERMISSION_DENIED",
    );
    expect(message).toMatch(/operator/);
  });

  it("refuses out-of-scope get, list and terminate before the backend", async () => {
    await refusedBeforeBackend(() => call(`/v1/${other}`, KEYS.operator), 403, "PERMISSION_DENIED");
    await refusedBeforeBackend(
      () => call(`/v1/${rollouts.other}/jobRuns`, KEYS.operator),
      403,
      "PERMISSION_DENIED",
    );
    await refusedBeforeBackend(
      () => call(`/v1/${other}:terminate`, KEYS.operator, { method: "POST", body: "{}" }),
      403,
      "PERMISSION_DENIED",
    );
  });

  it("compares scopes by segment: projects/conformance does not admit projects/conformance-other", async () => {
    expect(OTHER_PROJECT.startsWith(PROJECT)).toBe(true);
    await refusedBeforeBackend(() => call(`/v1/${other}`, KEYS.reader), 403, "PERMISSION_DENIED");
  });

  it("refuses a wildcard parent that could reach outside the scope", async () => {
    const message = await refusedBeforeBackend(
      () => call(`/v1/${allLocations}/jobRuns`, KEYS.europe),
      403,
      "PERMISSION_DENIED",
    );
    expect(message).toMatch(/wildcard/);
    // Wildcards below the scope stay inside it.
    await expectStatus(await call(`/v1/${allInEurope}/jobRuns`, KEYS.europe), 200);
    await expectStatus(await call(`/v1/${europe}`, KEYS.europe), 200);
    await refusedBeforeBackend(() => call(`/v1/${finished}`, KEYS.europe), 403, "PERMISSION_DENIED");
    // A project-wide caller may use every wildcard the API allows under its project.
    await expectStatus(await call(`/v1/${allLocations}/jobRuns`, KEYS.reader), 200);
  });

  it("allows overrideDeployPolicy only when granted", async () => {
    const policy = `projects/${PROJECT}/locations/us-central1/deployPolicies/freeze`;
    const body = JSON.stringify({ overrideDeployPolicy: [policy] });
    const target = runIn(rollouts.terminate, "IN_PROGRESS");
    await refusedBeforeBackend(
      () =>
        call(`/v1/${target}:terminate`, KEYS.operator, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        }),
      403,
      "PERMISSION_DENIED",
    );
    const ok = await call(`/v1/${target}:terminate`, KEYS.overrider, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    await expectStatus(ok, 200);
  });
});

describe("JWT callers", () => {
  const token = (
    claims: Record<string, unknown>,
    options: { audience?: string; expiresIn?: string; issuer?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(options.issuer ?? "https://issuer.test")
      .setAudience(options.audience ?? "jobrun-proxy")
      .setSubject("alice")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(signer);

  it("accepts a valid token and applies its role and scopes", async () => {
    const jwt = await token({ role: "reader", scopes: [`projects/${PROJECT}`] });
    await expectStatus(await call(`/v1/${finished}`, jwt), 200);
    await refusedBeforeBackend(() => call(`/v1/${other}`, jwt), 403, "PERMISSION_DENIED");
    await refusedBeforeBackend(
      () => call(`/v1/${finished}:terminate`, jwt, { method: "POST" }),
      403,
      "PERMISSION_DENIED",
    );
  });

  it("refuses a wrong audience, issuer, an expired token, alg none and a token without a role", async () => {
    const claims = { role: "operator", scopes: `projects/${PROJECT}` };
    for (const jwt of [
      await token(claims, { audience: "someone-else" }),
      await token(claims, { issuer: "https://evil.test" }),
      await token(claims, { expiresIn: "-10m" }),
    ]) {
      await refusedBeforeBackend(() => call(`/v1/${finished}`, jwt), 401, "UNAUTHENTICATED");
    }
    const none = `${btoa(JSON.stringify({ alg: "none" })).replace(/=+$/, "")}.${btoa(
      JSON.stringify({ ...claims, iss: "https://issuer.test", aud: "jobrun-proxy", sub: "x", exp: 9e9 }),
    ).replace(/=+$/, "")}.sig`;
    await refusedBeforeBackend(() => call(`/v1/${finished}`, none), 401, "UNAUTHENTICATED");
    await refusedBeforeBackend(
      async () => call(`/v1/${finished}`, await token({ scopes: [`projects/${PROJECT}`] })),
      403,
      "PERMISSION_DENIED",
    );
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After and RetryInfo past the caller's limit, per caller", async () => {
    const limited = createProxy({
      backend: emulator,
      auth: { keys: await testKeyStore(PROJECT, OTHER_PROJECT) },
      rateLimit: memoryRateLimiter({ requestsPerMinute: 60, burst: 2 }),
      log: false,
    });
    const get = (key: string) =>
      limited.request(`/v1/${finished}`, { headers: { authorization: `Bearer ${key}` } });
    expect((await get(KEYS.reader)).status).toBe(200);
    expect((await get(KEYS.reader)).status).toBe(200);
    const refused = await get(KEYS.reader);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { status: string; details: { "@type": string }[] } };
    expect(body.error.status).toBe("RESOURCE_EXHAUSTED");
    expect(body.error.details[0]!["@type"]).toMatch(/RetryInfo/);
    expect((await get(KEYS.operator)).status).toBe(200);
  });
});

describe("CORS", () => {
  it("answers an allowed origin's preflight and marks its responses; refuses others", async () => {
    const preflight = await app.request(`/v1/${finished}`, {
      method: "OPTIONS",
      headers: { origin: "https://dash.example.com", "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://dash.example.com");
    const foreign = await app.request(`/v1/${finished}`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(foreign.status).toBe(403);
    const got = await call(`/v1/${finished}`, KEYS.reader, {
      headers: { origin: "https://dash.example.com" },
    });
    expect(got.headers.get("access-control-allow-origin")).toBe("https://dash.example.com");
    const notAllowed = await call(`/v1/${finished}`, KEYS.reader, {
      headers: { origin: "https://evil.example" },
    });
    expect(notAllowed.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("caching headers", () => {
  it("gives a finished run a strong ETag and answers If-None-Match with 304", async () => {
    const first = await call(`/v1/${finished}`, KEYS.reader);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await call(`/v1/${finished}`, KEYS.reader, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const intEnums = await call(`/v1/${finished}?$alt=json;enum-encoding=int`, KEYS.reader);
    expect(intEnums.headers.get("etag")).not.toBe(etag);
    expect(((await intEnums.json()) as { state: unknown }).state).toBe(2);
  });

  it("never gives an in-progress run or a list an ETag", async () => {
    const running = await call(`/v1/${runIn(rollouts.webRel2, "IN_PROGRESS")}`, KEYS.reader);
    expect(running.status).toBe(200);
    expect(running.headers.get("etag")).toBeNull();
    expect(running.headers.get("cache-control")).toBe("no-store");
    const list = await call(`/v1/${rollouts.webRel1}/jobRuns`, KEYS.reader);
    expect(list.headers.get("etag")).toBeNull();
  });
});

describe("the surface", () => {
  it("answers unknown paths 404 and wrong methods 405 with Allow, as google.rpc.Status", async () => {
    await expectStatus(await call("/v1/projects/p", KEYS.reader), 404, "NOT_FOUND");
    await expectStatus(await call("/nothing/here", KEYS.reader), 404, "NOT_FOUND");
    const wrong = await call(`/v1/${finished}`, KEYS.reader, { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
    expect(((await wrong.json()) as { error: { code: number } }).error.code).toBe(405);
    const wrongTerminate = await call(`/v1/${finished}:terminate`, KEYS.reader);
    expect(wrongTerminate.headers.get("allow")).toBe("POST");
  });

  it("serves /healthz and a generated OpenAPI 3.1 document without auth", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    const doc = (await (await app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(["GetJobRun", "ListJobRuns", "TerminateJobRun", "WatchJobRuns"]);
    const watch = doc.paths[
      "/v1/projects/{project}/locations/{location}/deliveryPipelines/{deliveryPipeline}/releases/{release}/rollouts/{rollout}/jobRuns:watch"
    ]?.get as unknown as { responses: { "200": { content: Record<string, unknown> } } };
    expect(Object.keys(watch.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(Object.keys(doc.paths)).toContain(
      "/v1/projects/{project}/locations/{location}/deliveryPipelines/{deliveryPipeline}/releases/{release}/rollouts/{rollout}/jobRuns/{jobRun}:terminate",
    );
    expect(doc.components.schemas["google.cloud.deploy.v1.JobRun"]?.properties).toHaveProperty(
      "deployJobRun",
    );
    // Google's system parameters are documented on every method.
    const parameters = Object.values(doc.paths).flatMap((p) =>
      Object.values(p).map((o) => ({
        operationId: o.operationId,
        names: (o as unknown as { parameters: { name: string }[] }).parameters.map((x) => x.name),
      })),
    );
    for (const { operationId, names } of parameters) {
      // The watch's events are always compact JSON: no alt, fields or prettyPrint.
      expect(names).toEqual(
        expect.arrayContaining(
          operationId === "WatchJobRuns"
            ? ["$alt", "$.xgafv", "quotaUser", "Last-Event-ID"]
            : ["$alt", "alt", "fields", "prettyPrint", "$.xgafv", "quotaUser"],
        ),
      );
    }
  });

  it("echoes a safe request id and replaces an unsafe one", async () => {
    const kept = await call(`/v1/${finished}`, KEYS.reader, { headers: { "x-request-id": "trace-123" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-123");
    const replaced = await call(`/v1/${finished}`, KEYS.reader, {
      headers: { "x-request-id": "a\tb<script>" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one JSON line per request, with no key, token or query in it", async () => {
    const text = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(10);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toContain("enum-encoding");
    expect(logs.some((l) => l.caller === "key:reader" && l.rpc === "GetJobRun")).toBe(true);
  });
});
