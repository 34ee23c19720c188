import { bundleWorker, WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import { createEmulator, createManualClock, type Emulator } from "@jobrun/emulator";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeServiceAccountKey, startFakeGoogleAuth } from "./support/fake-google-auth.js";
import { startTestServer, type TestServer } from "./support/http-server.js";
import { type ServiceServer, serveJobRunService } from "./support/service-server.js";

// The edge entry, bundled as a Worker ships it, run in real workerd (miniflare 4). The Worker's
// fetches go out through workerd's own network stack to this test's loopback servers.

let miniflare: Miniflare;
let emulator: Emulator;
let server: ServiceServer;
let bundleText: string;
const others: TestServer[] = [];

beforeAll(async () => {
  bundleText = await bundleWorker(new URL("./workerd/worker.ts", import.meta.url));
  emulator = createEmulator({ clock: createManualClock(), seed: 5, demo: true });
  server = await serveJobRunService(emulator);
  miniflare = new Miniflare({
    modules: true,
    script: bundleText,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
  });
  await miniflare.ready;
}, 30_000);

afterAll(async () => {
  await miniflare?.dispose();
  await server?.close();
  await Promise.all(others.map((other) => other.close()));
});

function anyRollout(): string {
  const name = emulator.exportJobRuns().jobRuns[0]!.name!;
  return name.slice(0, name.indexOf("/jobRuns/"));
}

describe("the edge entry in workerd", () => {
  it("bundles without a single Node built-in", () => {
    expect(bundleText).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|child_process|os|path)["']\)/);
  });

  it("lists every page, gets, maps errors and honours an abort", async () => {
    const parent = anyRollout();
    const response = await miniflare.dispatchFetch("http://worker/", {
      method: "POST",
      body: JSON.stringify({ endpoint: server.url, parent }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the Worker failed: ${text}`);
    const report = JSON.parse(text) as {
      names: string[];
      first: { name: string; state: number; createSeconds: string };
      missing: { code: string; httpStatus: number; name: string };
      aborted: string;
    };
    const direct = await emulator.listJobRuns({ parent, pageSize: 1000 });
    expect(report.names).toEqual(direct.jobRuns.map((run) => run.name));
    expect(report.first.name).toBe(direct.jobRuns[0]!.name);
    expect(report.first.state).toBe(direct.jobRuns[0]!.state);
    expect(report.first.createSeconds).toBe(String(direct.jobRuns[0]!.createTime?.seconds));
    expect(report.missing).toEqual({ code: "NOT_FOUND", httpStatus: 404, name: "ApiError" });
    expect(report.aborted).toBe("CANCELLED");
  });

  it("watches over an event stream with fetch streaming inside workerd, resuming with Last-Event-ID", async () => {
    const parent = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
    const run = (id: string, state: string) => ({
      name: `${parent}/jobRuns/${id}`,
      state,
      etag: `${id}${state}`,
    });
    const lastIds: (string | undefined)[] = [];
    const stream = await startTestServer((request, response) => {
      const last = request.headers["last-event-id"];
      lastIds.push(typeof last === "string" ? last : undefined);
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.write("retry: 50\n\n");
      if (last === undefined) {
        response.write(`data: ${JSON.stringify({ type: "EXISTING", jobRun: run("a", "IN_PROGRESS") })}\n\n`);
        response.write(`id: e.0\ndata: ${JSON.stringify({ type: "SYNCED" })}\n\n`);
        response.end(
          `id: e.1\ndata: ${JSON.stringify({ type: "CHANGED", jobRun: run("a", "TERMINATING") })}\n\n`,
        );
      } else {
        response.write(
          `id: e.2\ndata: ${JSON.stringify({ type: "CHANGED", jobRun: run("a", "TERMINATED") })}\n\n`,
        );
      }
    });
    others.push(stream);
    const response = await miniflare.dispatchFetch("http://worker/", {
      method: "POST",
      body: JSON.stringify({ endpoint: stream.url, parent, watch: 4 }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the Worker failed: ${text}`);
    expect(JSON.parse(text)).toEqual({ seen: ["1 a 1", "2", "4 a 4", "4 a 5"], modes: ["live"] });
    expect(lastIds).toEqual([undefined, "e.1"]);
  });

  it("signs a service-account JWT with WebCrypto inside workerd", async () => {
    const { keyFile, publicKey } = await makeServiceAccountKey("unused");
    const tokens = await startFakeGoogleAuth({ publicKey });
    others.push(tokens);
    const seen: string[] = [];
    const api = await startTestServer(async (request, response) => {
      seen.push(request.headers.authorization ?? "");
      // Forward to the emulator's server, as a proxy would.
      const upstream = await fetch(`${server.url}${request.url}`);
      response.writeHead(upstream.status, { "content-type": "application/json" });
      response.end(await upstream.text());
    });
    others.push(api);
    const response = await miniflare.dispatchFetch("http://worker/", {
      method: "POST",
      body: JSON.stringify({
        endpoint: api.url,
        parent: anyRollout(),
        keyFile: JSON.stringify(keyFile),
        tokenEndpoint: `${tokens.url}/token`,
      }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(tokens.assertions).toHaveLength(1);
    expect(new Set(seen)).toEqual(new Set(["Bearer ya29.token-1"]));
  });

  it("follows no redirect and reads no answer past maxResponseBytes inside workerd", async () => {
    const elsewhere = await startTestServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
    const redirecting = await startTestServer((request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}${request.url}` });
      response.end();
    });
    const huge = await startTestServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(`{"name":"${"x".repeat(1024 * 1024)}"}`);
    });
    others.push(elsewhere, redirecting, huge);
    const response = await miniflare.dispatchFetch("http://worker/", {
      method: "POST",
      body: JSON.stringify({
        limits: {
          redirectingEndpoint: redirecting.url,
          hugeEndpoint: huge.url,
          name: `${anyRollout()}/jobRuns/x`,
        },
      }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the Worker failed: ${text}`);
    const report = JSON.parse(text) as Record<"redirected" | "huge", { code: string; message: string }>;
    expect(report.redirected.code).toBe("UNKNOWN");
    expect(report.redirected.message).toMatch(/redirect \(HTTP 307\)/);
    expect(redirecting.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(report.huge.code).toBe("UNKNOWN");
    expect(report.huge.message).toContain("maxResponseBytes");
  });
});
