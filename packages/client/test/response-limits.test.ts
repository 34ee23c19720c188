// What the client reads of a server's answer: never more than maxResponseBytes, and never a
// redirect's target. Both against real servers on loopback.
import { ApiError } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { createJobRunsClient, DEFAULT_MAX_RESPONSE_BYTES } from "../src/index.js";
import { JOB_RUN, jobRunJson, ROLLOUT } from "./support/fixtures.js";
import { sendJson, startTestServer, type TestServer } from "./support/http-server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

/** Retries on, and quick: a failure that is retried shows up as a second request. */
const quickRetries = { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } as const;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ApiError);
      return error as ApiError;
    },
  );

describe("maxResponseBytes", () => {
  it("stops reading a streamed answer past the cap, fails with UNKNOWN and does not retry", async () => {
    const limit = 256 * 1024;
    let written = 0;
    const server = await serve(async (_, response) => {
      // No Content-Length: the only way to know it is too big is to read it.
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      response.write("[");
      while (written < 256 * 1024 * 1024 && !response.destroyed) {
        written += chunk.length;
        if (!response.write(chunk)) {
          await new Promise((resolve) => {
            response.once("drain", resolve);
            response.once("close", resolve);
          });
        }
      }
      response.end("]");
    });
    const client = createJobRunsClient({
      endpoint: server.url,
      maxResponseBytes: limit,
      retry: quickRetries,
    });
    const error = await failure(client.listJobRuns({ parent: ROLLOUT }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toContain(`larger than ${limit} bytes (maxResponseBytes)`);
    expect(error.message).toContain(ROLLOUT);
    expect(server.requests).toHaveLength(1);
    // The client let go soon after the cap: the server could not push the whole 256 MiB.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it("refuses a declared Content-Length past the cap before reading it", async () => {
    const server = await serve((_, response) => {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(DEFAULT_MAX_RESPONSE_BYTES + 1),
      });
      response.write("{");
      // Never finishes: only a client that does not wait for the body can fail at once.
    });
    const client = createJobRunsClient({ endpoint: server.url, retry: quickRetries });
    const error = await failure(client.getJobRun({ name: JOB_RUN }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toContain(`larger than ${32 * 1024 * 1024} bytes`);
    expect(server.requests).toHaveLength(1);
  });

  it("caps error bodies too", async () => {
    const server = await serve((_, response) => {
      response.writeHead(503, { "content-type": "text/html" });
      response.end("x".repeat(4096));
    });
    const client = createJobRunsClient({ endpoint: server.url, maxResponseBytes: 1024, retry: false });
    const error = await failure(client.getJobRun({ name: JOB_RUN }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toContain("maxResponseBytes");
  });

  it("reads an answer up to the cap", async () => {
    const text = JSON.stringify(jobRunJson());
    const server = await serve((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: server.url, maxResponseBytes: Buffer.byteLength(text) });
    expect((await client.getJobRun({ name: JOB_RUN })).name).toBe(JOB_RUN);
  });

  it("refuses a cap that is not a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createJobRunsClient({ maxResponseBytes: bad })).toThrow(/maxResponseBytes/);
    }
  });
});

describe("redirects", () => {
  it("never follows a 307: a terminate is not re-sent to another host", async () => {
    const elsewhere = await serve((_, response) => sendJson(response, 200, {}));
    const server = await serve((request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}${request.url}` });
      response.end();
    });
    const client = createJobRunsClient({ endpoint: server.url, retry: quickRetries });
    const error = await failure(client.terminateJobRun({ name: JOB_RUN }));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toMatch(/redirect \(HTTP 307\), which the client does not follow/);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("does not follow or retry a redirected read", async () => {
    const elsewhere = await serve((_, response) => sendJson(response, 200, jobRunJson()));
    const server = await serve((request, response) => {
      response.writeHead(301, { location: `${elsewhere.url}${request.url}` });
      response.end();
    });
    const client = createJobRunsClient({ endpoint: server.url, retry: quickRetries });
    const error = await failure(client.getJobRun({ name: JOB_RUN }));
    expect(error.message).toMatch(/HTTP 301/);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });
});
