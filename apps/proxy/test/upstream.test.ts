// Google mode against a fault-injecting fake Google on loopback. The fake speaks the real REST
// surface (it is our own proxy over an emulator, auth off) with faults in front. The backend is the
// real google backend; only its fetch is routed from GOOGLE_UPSTREAM to the fake.
import { serviceAccountKey, staticToken } from "@jobrun/client";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
import { exportPKCS8, generateKeyPair } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createEmulatorBackend,
  createGoogleBackend,
  createProxy,
  GOOGLE_UPSTREAM,
  type LogEntry,
} from "../src/index.js";
import { type Served, serveFetch } from "./support/serve.js";

const UPSTREAM_TOKEN = "ya29.proxy-own-upstream-secret";
const fixture = conformanceFixture(50);
const emulator = createEmulatorBackend({ jobRuns: { jobRuns: fixture.jobRuns }, terminateDelayMs: 50 });
const real = createProxy({ backend: emulator, auth: "none", log: false });
const finished = fixture.jobRuns.find(
  (r) => r.state === "SUCCEEDED" && r.name!.startsWith(`${rollouts.webRel1}/`),
)!.name!;
const running = () =>
  emulator
    .exportJobRuns()
    .jobRuns.find((r) => r.state === "IN_PROGRESS" && r.name!.startsWith(`${rollouts.terminate}/`))!.name!;

type Fault = "none" | "503-once" | "503-always" | "hang" | "html" | "reset" | "401" | "huge" | "redirect";
let fault: Fault = "none";
/** Bytes the fake wrote of its "huge" answer before the proxy let go. */
let hugeWritten = 0;
let upstreamCalls: { url: string; headers: Headers }[] = [];
let fake: Served;
let proxy: Served;
/** Where the fake's redirects point: it must never be called. */
let elsewhere: Served;
let elsewhereCalls = 0;
const logs: LogEntry[] = [];

beforeAll(async () => {
  let failedOnce = false;
  elsewhere = await serveFetch(() => {
    elsewhereCalls += 1;
    return Response.json({});
  });
  fake = await serveFetch(async (request, env) => {
    upstreamCalls.push({ url: request.url, headers: request.headers });
    if (fault === "503-always" || (fault === "503-once" && !failedOnce)) {
      failedOnce = true;
      return Response.json(
        { error: { code: 503, message: "backend overloaded", status: "UNAVAILABLE" } },
        { status: 503 },
      );
    }
    if (fault === "hang") return new Promise<Response>(() => {});
    if (fault === "html")
      return new Response("<html>oops</html>", { status: 502, headers: { "content-type": "text/html" } });
    if (fault === "401") {
      return Response.json(
        {
          error: {
            code: 401,
            message: "Request had invalid authentication credentials.",
            status: "UNAUTHENTICATED",
          },
        },
        { status: 401 },
      );
    }
    if (fault === "redirect") {
      const url = new URL(request.url);
      return new Response(null, { status: 307, headers: { location: `${elsewhere.url}${url.pathname}` } });
    }
    if (fault === "huge") {
      // Far more than any answer of this API, with no Content-Length: it can only be counted.
      const chunk = new Uint8Array(1024 * 1024).fill(0x20);
      let sent = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent === 0) controller.enqueue(new TextEncoder().encode("{"));
            if (sent >= 600) {
              controller.close();
              return;
            }
            sent += 1;
            hugeWritten += chunk.length;
            controller.enqueue(chunk);
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    }
    if (fault === "reset") {
      (env as { incoming: { socket: { destroy(): void } } }).incoming.socket.destroy();
      return new Promise<Response>(() => {});
    }
    return real.fetch(request, env);
  });
  const backend = createGoogleBackend({
    auth: staticToken(UPSTREAM_TOKEN),
    timeoutMs: 1_500,
    retry: { initialDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 600, maxAttempts: 3 },
    fetch: (url, init) => {
      expect(url.startsWith(`${GOOGLE_UPSTREAM}/`)).toBe(true);
      return fetch(fake.url + url.slice(GOOGLE_UPSTREAM.length), init);
    },
  });
  proxy = await serveFetch(createProxy({ backend, auth: "none", log: (entry) => logs.push(entry) }).fetch);
});
afterAll(async () => {
  emulator.stop();
  await proxy.close();
  await fake.close();
  await elsewhere.close();
});
beforeEach(() => {
  fault = "none";
  upstreamCalls = [];
  elsewhereCalls = 0;
  hugeWritten = 0;
});

/** The log line of the request a response answered. */
const logOf = (response: { headers: Headers }, lines: LogEntry[] = logs) =>
  lines.find((line) => line.requestId === response.headers.get("x-request-id"));

const hostileHeaders = {
  authorization: "Bearer caller-secret-token",
  cookie: "session=caller-cookie",
  "x-forwarded-for": "6.6.6.6",
  "x-forwarded-host": "evil.example",
  "x-goog-user-project": "someone-elses-project",
  "x-goog-request-params": "name=projects%2Fevil",
};

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${proxy.url}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("google backend", () => {
  it("forwards none of the caller's credentials or forwarding headers, and uses its own token", async () => {
    const response = await get(`/v1/${finished}`, hostileHeaders);
    expect(response.status).toBe(200);
    expect(upstreamCalls).toHaveLength(1);
    const sent = upstreamCalls[0]!.headers;
    expect(sent.get("authorization")).toBe(`Bearer ${UPSTREAM_TOKEN}`);
    expect(sent.get("cookie")).toBeNull();
    expect(sent.get("x-forwarded-for")).toBeNull();
    expect(sent.get("x-forwarded-host")).toBeNull();
    expect(sent.get("x-goog-user-project")).toBeNull();
    expect(sent.get("x-goog-request-params")).toBe(`name=${encodeURIComponent(finished)}`);
    expect(response.text).not.toContain(UPSTREAM_TOKEN);
  });

  it("without --upstream, calls Cloud Deploy in its credentials' universe, billed to their quota project", async () => {
    const urls: string[] = [];
    const sovereign = createGoogleBackend({
      auth: {
        ...staticToken(UPSTREAM_TOKEN),
        universeDomain: "example-cloud.goog",
        quotaProject: "billing-proj",
      },
      retry: { maxAttempts: 1 },
      fetch: (url, init) => {
        urls.push(url);
        expect(new Headers(init?.headers).get("x-goog-user-project")).toBe("billing-proj");
        return fetch(fake.url + new URL(url).pathname + new URL(url).search, init);
      },
    });
    expect(sovereign.endpoint).toBe("https://clouddeploy.example-cloud.goog");
    await sovereign.getJobRun({ name: finished });
    expect(urls.map((url) => new URL(url).origin)).toEqual(["https://clouddeploy.example-cloud.goog"]);
  });

  it("re-encodes every path segment it sends upstream", async () => {
    await get(`/v1/${rollouts.webRel1}/jobRuns?filter=${encodeURIComponent('state="SUCCEEDED"')}`);
    expect(new URL(upstreamCalls[0]!.url).pathname).toBe(`/v1/${rollouts.webRel1}/jobRuns`);
  });

  it("retries a read through one UNAVAILABLE", async () => {
    fault = "503-once";
    expect((await get(`/v1/${finished}`)).status).toBe(200);
    expect(upstreamCalls.length).toBe(2);
  });

  it("never retries a terminate, and passes the upstream error on as google.rpc.Status", async () => {
    fault = "503-always";
    const response = await fetch(`${proxy.url}/v1/${running()}:terminate`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe("UNAVAILABLE");
    expect(body.error.message).toContain("backend overloaded");
    expect(upstreamCalls.length).toBe(1);
  });

  it("passes NOT_FOUND through", async () => {
    const response = await get(`/v1/${rollouts.webRel1}/jobRuns/does-not-exist`);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text).error.status).toBe("NOT_FOUND");
  });

  it("answers a hung upstream with 504 DEADLINE_EXCEEDED within its budget, and keeps serving", async () => {
    fault = "hang";
    const started = Date.now();
    const [a, b] = await Promise.all([get(`/v1/${finished}`), get(`/v1/${rollouts.webRel1}/jobRuns`)]);
    expect(Date.now() - started).toBeLessThan(4_000);
    for (const response of [a, b]) {
      expect(response.status).toBe(504);
      expect(JSON.parse(response.text).error.status).toBe("DEADLINE_EXCEEDED");
    }
    fault = "none";
    expect((await get("/healthz")).status).toBe(200);
    expect((await get(`/v1/${finished}`)).status).toBe(200);
  });

  it("maps a non-JSON upstream answer and a reset connection to a 5xx google.rpc.Status", async () => {
    for (const f of ["html", "reset"] as const) {
      fault = f;
      const response = await get(`/v1/${finished}`);
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(response.text).error.message).not.toMatch(/\n\s+at /);
      // Neither the upstream's own text nor the network library's reaches the caller: the log has it.
      expect(response.text).not.toMatch(
        /oops|<html|fetch failed|ECONNRESET|socket|127\.0\.0\.1|other side closed/i,
      );
      // On a loaded machine the retries of a 502 can outlast the 1.5 s budget: a 504 that says so.
      if (response.status === 504) continue;
      expect(JSON.parse(response.text).error.message).toMatch(
        /^Google's (API could not be reached|answer could not be read); the request id/,
      );
      expect(String(logOf(response)?.cause)).toMatch(
        f === "html" ? /<html>oops/ : /could not reach|reading the response body/,
      );
    }
  });

  it("answers a dead upstream with 503 and stays up", async () => {
    const dead = createGoogleBackend({
      auth: staticToken(UPSTREAM_TOKEN),
      retry: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 },
      fetch: (url, init) => fetch(`http://127.0.0.1:1${url.slice(GOOGLE_UPSTREAM.length)}`, init),
    });
    const app = createProxy({ backend: dead, auth: "none", log: false });
    const response = await app.request(`/v1/${finished}`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect((JSON.parse(text) as { error: { status: string } }).error.status).toBe("UNAVAILABLE");
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
  });

  it("reads no more than 32 MiB of an answer, and does not retry it", async () => {
    fault = "huge";
    // A budget long enough to read 32 MiB on a loaded machine: only the cap may end this call.
    const backend = createGoogleBackend({
      auth: staticToken(UPSTREAM_TOKEN),
      timeoutMs: 30_000,
      retry: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 },
      fetch: (url, init) => fetch(fake.url + url.slice(GOOGLE_UPSTREAM.length), init),
    });
    const app = createProxy({ backend, auth: "none", log: false });
    const answer = await app.request(`/v1/${finished}`);
    const response = { status: answer.status, text: await answer.text() };
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text).error.message).toMatch(/larger than 33554432 bytes/);
    expect(upstreamCalls).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hugeWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it("follows no redirect: a 307 does not re-send a terminate to another host", async () => {
    fault = "redirect";
    const name = running();
    const response = await fetch(`${proxy.url}/v1/${name}:terminate`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    const body = (await response.json()) as { error: { status: string; message: string } };
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(body.error.message).toMatch(/redirect \(HTTP 307\)/);
    expect(upstreamCalls).toHaveLength(1);
    expect(elsewhereCalls).toBe(0);
    // Nothing was terminated anywhere.
    expect((await emulator.getJobRun({ name })).state).not.toBe(5);
  });

  it("keeps the upstream token and caller credentials out of every log line", () => {
    const text = JSON.stringify(logs);
    expect(text).not.toContain(UPSTREAM_TOKEN);
    expect(text).not.toContain("caller-secret-token");
    expect(text).not.toContain("caller-cookie");
  });
});

describe("the proxy's own credentials, as callers see them", () => {
  const PROXY_ACCOUNT = "proxy-sa@proxy-project.iam.gserviceaccount.com";
  let tokenEndpoint: Served;
  let tokenRequests = 0;
  let keyFile: string;

  beforeAll(async () => {
    tokenEndpoint = await serveFetch(() => {
      tokenRequests += 1;
      return Response.json(
        { error: "invalid_grant", error_description: `Invalid grant: account ${PROXY_ACCOUNT} not found` },
        { status: 400 },
      );
    });
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    keyFile = JSON.stringify({
      type: "service_account",
      private_key: await exportPKCS8(privateKey),
      client_email: PROXY_ACCOUNT,
      token_uri: `${tokenEndpoint.url}/token`,
    });
  });
  afterAll(() => tokenEndpoint.close());
  beforeEach(() => {
    tokenRequests = 0;
  });

  /** A proxy over the real google backend with these credentials, its fetch routed to the fake. */
  async function proxyWith(auth: Parameters<typeof createGoogleBackend>[0]["auth"]) {
    const lines: LogEntry[] = [];
    const backend = createGoogleBackend({
      auth,
      timeoutMs: 2_000,
      retry: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 },
      fetch: (url, init) => fetch(fake.url + url.slice(GOOGLE_UPSTREAM.length), init),
    });
    const app = createProxy({ backend, auth: "none", log: (line) => lines.push(line) });
    const call = async (path: string, init?: RequestInit) => {
      const response = await app.request(path, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, log: logOf(response, lines) };
    };
    return { call, lines };
  }

  function expectCouldNotAuthenticate(response: { status: number; text: string }) {
    expect(response.status).toBe(503);
    const error = JSON.parse(response.text).error;
    expect(error).toMatchObject({
      code: 503,
      status: "UNAVAILABLE",
      message: "the proxy could not authenticate to Google",
    });
    expect(error.details).toContainEqual(
      expect.objectContaining({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        domain: "jobrun-proxy",
      }),
    );
  }

  it("a token endpoint that refuses the proxy's key: 503, with the reason only in the log", async () => {
    const { call } = await proxyWith(serviceAccountKey(keyFile));
    const response = await call(`/v1/${finished}`);
    expectCouldNotAuthenticate(response);
    expect(response.text).not.toMatch(/invalid_grant|proxy-sa|token endpoint|127\.0\.0\.1/);
    expect(String(response.log?.cause)).toMatch(/service account proxy-sa@.*HTTP 400 \(invalid_grant/);
    expect(response.log?.level).toBe("error");
    expect(upstreamCalls).toHaveLength(0);
    expect(tokenRequests).toBeGreaterThan(0);
  });

  it("an unreachable token endpoint: the same 503, naming no URL", async () => {
    const unreachable = serviceAccountKey(keyFile, { tokenEndpoint: "http://127.0.0.1:1/token" });
    const { call } = await proxyWith(unreachable);
    const response = await call(`/v1/${rollouts.webRel1}/jobRuns`);
    expectCouldNotAuthenticate(response);
    expect(response.text).not.toMatch(/127\.0\.0\.1|token|proxy-sa/);
    expect(String(response.log?.cause)).toMatch(/could not reach the token endpoint/);
  });

  it("Google refusing the proxy's token: 503, never 401 (the caller's own token is fine)", async () => {
    fault = "401";
    const { call, lines } = await proxyWith(staticToken(UPSTREAM_TOKEN));
    for (const response of [
      await call(`/v1/${finished}`),
      await call(`/v1/${running()}:terminate`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    ]) {
      expectCouldNotAuthenticate(response);
      expect(response.text).not.toMatch(/invalid authentication credentials/);
      expect(String(response.log?.cause)).toMatch(/invalid authentication credentials/);
    }
    expect(JSON.stringify(lines)).not.toContain(UPSTREAM_TOKEN);
  });

  it("keeps the key out of every answer and log line", async () => {
    const { call, lines } = await proxyWith(serviceAccountKey(keyFile));
    const response = await call(`/v1/${finished}`);
    const privateKey = (JSON.parse(keyFile) as { private_key: string }).private_key;
    const keyBody = privateKey.split("\n")[1]!;
    expect(response.text).not.toContain(keyBody);
    expect(JSON.stringify(lines)).not.toContain(keyBody);
  });
});
