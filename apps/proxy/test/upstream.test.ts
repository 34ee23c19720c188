// Google mode against a fault-injecting fake Google on loopback. The fake speaks the real REST
// surface (it is our own proxy over an emulator, auth off) with faults in front. The backend is the
// real google backend; only its fetch is routed from GOOGLE_UPSTREAM to the fake.
import { staticToken } from "@jobrun/client";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
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

type Fault = "none" | "503-once" | "503-always" | "hang" | "html" | "reset";
let fault: Fault = "none";
let upstreamCalls: { url: string; headers: Headers }[] = [];
let fake: Served;
let proxy: Served;
const logs: LogEntry[] = [];

beforeAll(async () => {
  let failedOnce = false;
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
});
beforeEach(() => {
  fault = "none";
  upstreamCalls = [];
});

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
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe("UNAVAILABLE");
  });

  it("keeps the upstream token and caller credentials out of every log line", () => {
    const text = JSON.stringify(logs);
    expect(text).not.toContain(UPSTREAM_TOKEN);
    expect(text).not.toContain("caller-secret-token");
    expect(text).not.toContain("caller-cookie");
  });
});
