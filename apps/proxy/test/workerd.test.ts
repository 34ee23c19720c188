// The Worker build (dist/worker.bundle.js, made by the build) in real workerd through miniflare 4:
// the conformance suite over HTTP, and the edge-only paths (config from vars/secrets, Cache API).
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createJobRunsClient, staticToken } from "@jobrun/client";
import {
  CORPUS_PROJECT,
  conformanceFixture,
  corpusRunName,
  corpusRuns,
  createFakeGoogle,
  describeJobRunServiceConformance,
  OTHER_PROJECT,
  PROJECT,
  rollouts,
} from "@jobrun/conformance";
import { WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../src/index.js";
import { HOSTILE_BODIES, hostilePaths } from "./support/hostile-cases.js";
import { KEYS } from "./support/keys.js";
import { type RawResponse, rawRequest } from "./support/raw-http.js";
import { type Served, serveFetch } from "./support/serve.js";

const bundle = new URL("../dist/worker.bundle.js", import.meta.url).pathname;

async function startWorker(bindings: Record<string, string>): Promise<{ mf: Miniflare; url: string }> {
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
    bindings: { LOG_REQUESTS: "off", ...bindings },
    host: "127.0.0.1",
    port: 0,
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { mf, url };
}

async function keyFile(): Promise<string> {
  return JSON.stringify({
    keys: [
      {
        id: "everything",
        hash: await hashApiKey(KEYS.everything),
        role: "operator",
        scopes: [`projects/${PROJECT}`, `projects/${OTHER_PROJECT}`],
        overrideDeployPolicy: true,
      },
      { id: "reader", hash: await hashApiKey(KEYS.reader), role: "reader", scopes: [`projects/${PROJECT}`] },
    ],
  });
}

describeJobRunServiceConformance("client → Worker (workerd) → emulator", async (fixture) => {
  const { mf, url } = await startWorker({
    EMULATOR_JOB_RUNS: JSON.stringify({ jobRuns: fixture.jobRuns }),
    EMULATOR_TERMINATE_DELAY_MS: String(fixture.terminateDelayMs),
    CALLER_KEYS: await keyFile(),
    RATE_LIMIT_PER_MINUTE: "0",
  });
  return {
    service: createJobRunsClient({ endpoint: url, retry: false, auth: staticToken(KEYS.everything) }),
    close: () => mf.dispose(),
  };
});

describe("the Worker in workerd", () => {
  let worker: { mf: Miniflare; url: string };
  const fixture = conformanceFixture();
  const finished = fixture.jobRuns.find((run) => run.state === "SUCCEEDED")!.name!;
  beforeAll(async () => {
    worker = await startWorker({
      EMULATOR_JOB_RUNS: JSON.stringify({ jobRuns: fixture.jobRuns }),
      CALLER_KEYS: await keyFile(),
    });
  }, 30_000);
  afterAll(() => worker.mf.dispose());

  const get = (path: string, key: string, headers: Record<string, string> = {}) =>
    fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });

  it("bundles small (≤ 150 KB gzip) and without Node built-ins", async () => {
    const text = readFileSync(bundle, "utf8");
    expect(text).not.toMatch(/from\s*["']node:/);
    const { gzipSync } = await import("node:zlib");
    expect(gzipSync(text).length).toBeLessThan(150 * 1024);
  });

  it("serves finished runs from the Cache API with a strong ETag, and 304 on If-None-Match", async () => {
    const first = await get(`/v1/${finished}`, KEYS.everything);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const body = await first.text();
    const second = await get(`/v1/${finished}`, KEYS.everything);
    expect(second.headers.get("etag")).toBe(etag);
    expect(await second.text()).toBe(body);
    const revalidated = await get(`/v1/${finished}`, KEYS.everything, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
  });

  it("never serves a cached run to a caller outside its scope", async () => {
    const other = fixture.jobRuns.find(
      (run) => run.name!.startsWith(`projects/${OTHER_PROJECT}/`) && run.state === "SUCCEEDED",
    );
    const name = other?.name ?? `${rollouts.other}/jobRuns/x`;
    await get(`/v1/${name}`, KEYS.everything);
    const denied = await get(`/v1/${name}`, KEYS.reader);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.status).toBe("PERMISSION_DENIED");
  });

  it("refuses callers without a key, and lists are never cached", async () => {
    expect((await fetch(`${worker.url}/v1/${finished}`)).status).toBe(401);
    const list = await get(`/v1/${rollouts.webRel1}/jobRuns`, KEYS.reader);
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("no-store");
    expect(list.headers.get("etag")).toBeNull();
  });

  it("answers a watch with 501 UNIMPLEMENTED (clients poll) until a Durable Object holds the watchers", async () => {
    const watch = await get(`/v1/${rollouts.webRel1}/jobRuns:watch`, KEYS.reader);
    expect(watch.status).toBe(501);
    expect((await watch.json()).error.status).toBe("UNIMPLEMENTED");
  });

  it("answers 500 without details when misconfigured", async () => {
    const broken = await startWorker({ BACKEND: "google" });
    try {
      const response = await fetch(`${broken.url}/healthz`);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toMatch(/GOOGLE_SERVICE_ACCOUNT_KEY/);
    } finally {
      await broken.mf.dispose();
    }
  });
});

// The hostile requests of hostile.test.ts, against the Worker: every refusal a google.rpc.Status
// with a request id. (workerd resolves dot segments before the Worker sees the URL, so there a
// traversal lands on another name, which the route table or the caller's scopes then refuse.)
describe("hostile requests against the Worker in workerd", () => {
  let worker: { mf: Miniflare; url: string };
  const fixture = conformanceFixture();
  const run = fixture.jobRuns.find((r) => r.name!.startsWith(`${rollouts.webRel1}/`))!.name!;
  const running = fixture.jobRuns.filter(
    (r) => r.state === "IN_PROGRESS" && r.name!.startsWith(`${rollouts.terminate}/`),
  );
  // A fresh connection per request: workerd closes one after refusing a body, and Node's keep-alive
  // agent could otherwise hand that closed socket to the next request.
  const auth = { authorization: `Bearer ${KEYS.everything}`, connection: "close" };
  beforeAll(async () => {
    worker = await startWorker({
      EMULATOR_JOB_RUNS: JSON.stringify({ jobRuns: fixture.jobRuns }),
      CALLER_KEYS: await keyFile(),
      RATE_LIMIT_PER_MINUTE: "0",
      EDGE_CACHE: "off",
    });
  }, 30_000);
  afterAll(() => worker.mf.dispose());

  function expectRefusal(response: RawResponse, status?: number) {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    if (status !== undefined) expect(response.status).toBe(status);
    expect(response.headers["x-request-id"]).toBeDefined();
    const error = (JSON.parse(response.body) as { error: { code: number; status: string; message: string } })
      .error;
    expect(error.code).toBe(response.status);
    expect(error.message).not.toMatch(/\n\s+at /);
    return error;
  }

  it("refuses every hostile path with a 4xx google.rpc.Status", async () => {
    const base = `/v1/${rollouts.webRel1}`;
    for (const [label, path] of hostilePaths(base, run)) {
      const response = await rawRequest(worker.url, { path, headers: auth });
      const error = expectRefusal(response);
      const inherited = /^\?(\w+)=/.exec(label)?.[1];
      if (inherited !== undefined) {
        expect(error.message, label).toBe(`query parameter "${inherited}" is not a parameter of this method`);
      }
    }
  });

  it("refuses every hostile terminate body with 400 naming the problem, and one past the size limit with 413", async () => {
    const post = (name: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
      rawRequest(worker.url, {
        method: "POST",
        path: `/v1/${name}:terminate`,
        headers: { ...auth, "content-type": "application/json", ...headers },
        chunks: [body],
      });
    for (const { body, headers, code, message } of HOSTILE_BODIES) {
      const error = expectRefusal(await post(running[0]!.name!, body, headers), 400);
      expect(error.status).toBe(code);
      expect(error.message).toMatch(message);
    }
    // Past the 64 KiB limit, yet small enough to be written whole before workerd answers and closes.
    const huge = new Uint8Array(128 * 1024).fill(0x20);
    expectRefusal(await post(running[1]!.name!, huge, { "content-length": String(huge.length) }), 413);
  });

  it("answers HEAD as GET without the body", async () => {
    const headers = { authorization: `Bearer ${KEYS.everything}` };
    const got = await fetch(`${worker.url}/v1/${run}`, { headers });
    const head = await fetch(`${worker.url}/v1/${run}`, { method: "HEAD", headers });
    expect(got.status).toBe(200);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("etag")).toBe(got.headers.get("etag"));
    expect(head.headers.get("content-type")).toBe(got.headers.get("content-type"));
    await got.arrayBuffer();
  });
});

describe("the Worker in google mode (UPSTREAM: a fake Google on loopback)", () => {
  const fake = createFakeGoogle();
  let upstream: Served;
  let worker: { mf: Miniflare; url: string };
  beforeAll(async () => {
    // The fake also plays Google's token endpoint: the Worker signs in with a service-account key.
    upstream = await serveFetch((request) =>
      new URL(request.url).pathname === "/token"
        ? Response.json({ access_token: "ya29.worker-own", expires_in: 3600, token_type: "Bearer" })
        : fake.fetch(request),
    );
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key = {
      type: "service_account",
      client_email: "proxy@corpus.iam.gserviceaccount.com",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      token_uri: `${upstream.url}/token`,
    };
    worker = await startWorker({
      BACKEND: "google",
      UPSTREAM: upstream.url,
      GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(key),
      CALLER_KEYS: JSON.stringify({
        keys: [
          {
            id: "corpus",
            hash: await hashApiKey(KEYS.reader),
            role: "reader",
            scopes: [`projects/${CORPUS_PROJECT}`],
          },
        ],
      }),
    });
  }, 30_000);
  afterAll(async () => {
    await worker.mf.dispose();
    await upstream.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${KEYS.reader}`, ...headers } });

  it("hands Google's bytes on, and serves a finished run again from the Cache API", async () => {
    const path = `/v1/${corpusRunName("deploy")}`;
    const direct = await fetch(`${upstream.url}${path}`).then((r) => r.text());
    const before = fake.requests.length;
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(direct);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get(path, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(fake.requests.length - before).toBe(1);
    expect(fake.requests.at(-1)!.headers.get("authorization")).toBe("Bearer ya29.worker-own");
  });

  it("keeps a state newer than the schema and Google's enum numbers", async () => {
    const path = `/v1/${corpusRunName("future")}`;
    expect(await (await get(path)).json()).toEqual(corpusRuns.future);
    expect((await (await get(`${path}?%24alt=json%3Benum-encoding%3Dint`)).json()).state).toBe(7);
  });
});
