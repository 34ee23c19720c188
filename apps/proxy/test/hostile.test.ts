// Hostile paths and bodies over real HTTP: every one gets a clear 4xx google.rpc.Status (never a
// 5xx or a stack trace) and the server keeps serving.

import { connect } from "node:net";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy, type LogEntry } from "../src/index.js";
import { spyOn } from "./support/backend-spy.js";
import { HOSTILE_BODIES, hostilePaths } from "./support/hostile-cases.js";
import { rawRequest } from "./support/raw-http.js";
import { type Served, serveFetch } from "./support/serve.js";

const fixture = conformanceFixture(50);
const emulator = createEmulatorBackend({ jobRuns: { jobRuns: fixture.jobRuns }, terminateDelayMs: 50 });
const backend = spyOn(emulator);
let served: Served;
const logs: LogEntry[] = [];
const run = fixture.jobRuns.find((r) => r.name!.startsWith(`${rollouts.webRel1}/`))!.name!;
const running = () =>
  emulator
    .exportJobRuns()
    .jobRuns.find((r) => r.state === "IN_PROGRESS" && r.name!.startsWith(`${rollouts.terminate}/`))!.name!;
const base = `/v1/projects/conformance/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001`;

beforeAll(async () => {
  served = await serveFetch(createProxy({ backend, auth: "none", log: (line) => logs.push(line) }).fetch);
});
afterAll(async () => {
  emulator.stop();
  await served.close();
});

function expectClientError(response: { status: number; body: string }, status?: number) {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  if (status !== undefined) expect(response.status).toBe(status);
  const body = JSON.parse(response.body) as { error: { code: number; status: string; message: string } };
  expect(body.error.code).toBe(response.status);
  expect(body.error.message).not.toMatch(/\n\s+at /); // no stack trace
  return body.error;
}

async function stillServing() {
  const health = await rawRequest(served.url, { path: "/healthz" });
  expect(health.status).toBe(200);
  const got = await rawRequest(served.url, { path: `/v1/${run}` });
  expect(got.status).toBe(200);
}

describe("hostile paths", () => {
  const cases = hostilePaths(base, run);
  for (const [label, path] of cases) {
    it(`refuses ${label} with a 4xx before the backend`, async () => {
      const before = backend.calls;
      const error = expectClientError(await rawRequest(served.url, { path }));
      if (!label.includes("filter")) expect(backend.calls).toBe(before);
      expect(error.message.length).toBeLessThan(600);
      const inherited = /^\?(\w+)=/.exec(label)?.[1];
      if (inherited !== undefined) {
        expect(error.message).toBe(`query parameter "${inherited}" is not a parameter of this method`);
      }
    });
  }

  it("answers a path the server adapter cannot read (a backslash) with a google.rpc.Status and a request id", async () => {
    for (const path of [`${base}\\jobRuns`, `/v1/${run.replace("/jobRuns/", "/jobRuns\\")}`]) {
      const response = await rawRequest(served.url, { path });
      expect(expectClientError(response, 400).status).toBe("INVALID_ARGUMENT");
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.headers["x-request-id"]).toMatch(/^[\w-]{8,}$/);
    }
  });

  it("keeps serving", stillServing);
});

describe("absolute-form request targets (GET http://host/path HTTP/1.1)", () => {
  it("are refused for dot segments like any other target", async () => {
    for (const path of [
      `${base}/jobRuns/..`,
      `/v1/projects/conformance/../other/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x`,
    ]) {
      const before = backend.calls;
      const absolute = await rawRequest(served.url, { path: `${served.url}${path}` });
      const origin = await rawRequest(served.url, { path });
      expect(expectClientError(absolute).message).toBe(expectClientError(origin).message);
      expect(absolute.status).toBe(origin.status);
      expect(backend.calls).toBe(before);
    }
    expect((await rawRequest(served.url, { path: `${served.url}/v1/${run}` })).status).toBe(200);
  });

  it("on an open loopback proxy, need a loopback Host header as well as a loopback target", async () => {
    const open = await serveFetch(
      createProxy({ backend: emulator, auth: "none", log: false, allowedHosts: "loopback" }).fetch,
    );
    try {
      const rebinding = await rawRequest(open.url, {
        path: `${open.url}/v1/${run}`,
        headers: { host: "evil.example" },
      });
      expect(rebinding.status).toBe(403);
      expect(JSON.parse(rebinding.body).error.status).toBe("PERMISSION_DENIED");
      const foreignTarget = await rawRequest(open.url, { path: `http://evil.example/v1/${run}` });
      expect(foreignTarget.status).toBe(403);
      const fine = await rawRequest(open.url, {
        path: `http://localhost/v1/${run}`,
        headers: { host: "127.0.0.1" },
      });
      expect(fine.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("HEAD", () => {
  it("answers as GET would, without the body: same status and headers, Content-Length and ETag included", async () => {
    const finished = fixture.jobRuns.find(
      (r) => r.state === "SUCCEEDED" && r.name!.startsWith(`${rollouts.webRel1}/`),
    )!.name!;
    for (const path of [
      `/v1/${finished}`,
      `/v1/${rollouts.webRel1}/jobRuns?pageSize=2`,
      "/healthz",
      "/openapi.json",
    ]) {
      const got = await rawRequest(served.url, { path });
      const head = await rawRequest(served.url, { method: "HEAD", path });
      expect(got.status).toBe(200);
      expect(head.status).toBe(200);
      expect(head.body).toBe("");
      expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(got.body)));
      for (const name of ["content-type", "etag", "cache-control"]) {
        expect(head.headers[name], name).toBe(got.headers[name]);
      }
    }
  });

  it("answers a HEAD on a missing run with GET's 404 status, and a HEAD on terminate with 405", async () => {
    expect((await rawRequest(served.url, { method: "HEAD", path: `${base}/jobRuns/nope` })).status).toBe(404);
    const terminate = await rawRequest(served.url, { method: "HEAD", path: `/v1/${run}:terminate` });
    expect(terminate.status).toBe(405);
    expect(terminate.headers.allow).toBe("POST");
    const post = await rawRequest(served.url, { method: "POST", path: `/v1/${run}`, chunks: ["{}"] });
    expect(post.headers.allow).toBe("GET, HEAD");
  });
});

describe("hostile bodies", () => {
  const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    rawRequest(served.url, {
      method: "POST",
      path: `/v1/${running()}:terminate`,
      headers: { "content-type": "application/json", ...headers },
      chunks: [body],
    });

  it("refuses a 5 MB body with a Content-Length: 413", async () => {
    const body = new Uint8Array(5 * 1024 * 1024).fill(0x20);
    const response = await post(body, { "content-length": String(body.length) });
    expectClientError(response, 413);
  });

  it("refuses a 5 MB chunked body: 413, read no further than the limit", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const response = await rawRequest(served.url, {
      method: "POST",
      path: `/v1/${running()}:terminate`,
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks: Array.from({ length: 80 }, () => chunk),
    });
    expectClientError(response, 413);
  });

  it("refuses invalid JSON, invalid UTF-8, unknown fields and wrong types with 400, naming the problem", async () => {
    for (const { body, headers, code, message } of HOSTILE_BODIES) {
      const error = expectClientError(await post(body, headers), 400);
      expect(error.status).toBe(code);
      expect(error.message).toMatch(message);
    }
  });

  it("a body the caller abandons half-way is the caller's doing: CANCELLED, logged as a warning", async () => {
    const path = `/v1/${running()}:terminate`;
    const before = logs.length;
    const socket = connect(served.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"overrideDe`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect
      .poll(() => logs.slice(before).find((line) => line.path === path), { timeout: 2_000 })
      .toBeDefined();
    const line = logs.slice(before).find((l) => l.path === path)!;
    expect(line).toMatchObject({ level: "warn", status: 499, error: "CANCELLED" });
  });

  it("refuses ?constructor= and ?__proto__= on a terminate", async () => {
    for (const key of ["constructor", "__proto__"]) {
      const response = await rawRequest(served.url, {
        method: "POST",
        path: `/v1/${running()}:terminate?${key}=1`,
        headers: { "content-type": "application/json" },
        chunks: ["{}"],
      });
      expect(expectClientError(response, 400).message).toContain(`"${key}"`);
    }
  });

  it("keeps serving, and a good terminate still works", async () => {
    await stillServing();
    const ok = await post("{}");
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("{}");
  });
});
