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
});
