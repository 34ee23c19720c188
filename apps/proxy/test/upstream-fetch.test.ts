// The CLI's fetch for the google backend (undici's `request` under a Fetch Response) must behave as
// the global fetch does wherever the client depends on it: against a real local HTTP server, through
// the real client.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createJobRunsClient } from "@jobrun/client";
import { afterEach, describe, expect, it } from "vitest";
import { upstreamFetch } from "../src/node/upstream-fetch.js";

const RUN =
  "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/0b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const listening = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => handler(req, body, res));
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

const quick = { maxAttempts: 1 } as const;

describe("upstreamFetch, the google backend's fetch on Node", () => {
  it("sends the method, headers and body, and hands back status, headers and bytes", async () => {
    const seen: {
      method?: string | undefined;
      auth?: string | undefined;
      type?: string | undefined;
      body: string;
    }[] = [];
    const endpoint = await serve((req, body, res) => {
      seen.push({
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body,
      });
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "x-one": "1" });
      res.end("{}");
    });
    const client = createJobRunsClient({
      endpoint,
      fetch: upstreamFetch(),
      auth: { getAccessToken: async () => "tok" },
      retry: quick,
    });
    await client.terminateJobRun({
      name: RUN,
      overrideDeployPolicy: ["projects/p/locations/l/deployPolicies/x"],
    });
    expect(seen).toEqual([
      {
        method: "POST",
        auth: "Bearer tok",
        type: "application/json",
        body: JSON.stringify({ overrideDeployPolicy: ["projects/p/locations/l/deployPolicies/x"] }),
      },
    ]);
    const raw = await upstreamFetch()(`${endpoint}/x`, { method: "GET", headers: {} });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("x-one")).toBe("1");
    expect(await raw.text()).toBe("{}");
  });

  it("keeps a repeated response header, and gives a 204 no body", async () => {
    const endpoint = await serve((req, _body, res) => {
      if (req.url === "/empty") {
        res.writeHead(204);
        res.end();
        return;
      }
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end("ok");
    });
    const fetch = upstreamFetch();
    const repeated = await fetch(`${endpoint}/`, { method: "GET", headers: {} });
    expect(repeated.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const empty = await fetch(`${endpoint}/empty`, { method: "GET", headers: {} });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it("does not follow a redirect: the client refuses it, and the target is never asked", async () => {
    const asked: string[] = [];
    const endpoint = await serve((req, _body, res) => {
      asked.push(req.url ?? "");
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const client = createJobRunsClient({ endpoint, fetch: upstreamFetch(), retry: quick });
    await expect(client.getJobRun({ name: RUN })).rejects.toMatchObject({
      code: "UNKNOWN",
      message: expect.stringContaining("redirect"),
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("/v1/projects/");
  });

  it("stops reading an endless answer at maxResponseBytes", async () => {
    let written = 0;
    const endpoint = await serve((_req, _body, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 256 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const client = createJobRunsClient({
      endpoint,
      fetch: upstreamFetch(),
      maxResponseBytes: 1024 * 1024,
      retry: quick,
    });
    await expect(client.getJobRun({ name: RUN })).rejects.toMatchObject({
      code: "UNKNOWN",
      message: expect.stringContaining("maxResponseBytes"),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("gives up a call whose deadline passes while the server holds it, as DEADLINE_EXCEEDED", async () => {
    const endpoint = await serve(() => {
      // Never answers.
    });
    const client = createJobRunsClient({ endpoint, fetch: upstreamFetch(), timeoutMs: 100, retry: quick });
    const started = Date.now();
    await expect(client.getJobRun({ name: RUN })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("says it could not reach a server that is not there", async () => {
    const endpoint = await serve(() => {});
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const client = createJobRunsClient({ endpoint, fetch: upstreamFetch(), retry: quick });
    await expect(client.getJobRun({ name: RUN })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("could not reach"),
    });
  });
});
