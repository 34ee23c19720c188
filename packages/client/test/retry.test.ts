import type { ApiError } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { createJobRunsClient, type RetryOptions } from "../src/index.js";
import { fakeClock } from "./support/fake-clock.js";
import { JOB_RUN, jobRunJson, listPageJson, ROLLOUT } from "./support/fixtures.js";
import {
  scripted,
  sendJson,
  startTestServer,
  type TestHandler,
  type TestServer,
} from "./support/http-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const unavailable: TestHandler = (_, response) =>
  sendJson(response, 503, { error: { code: 503, message: "backend unavailable", status: "UNAVAILABLE" } });
const ok: TestHandler = (_, response) => sendJson(response, 200, jobRunJson());
const internal: TestHandler = (_, response) =>
  sendJson(response, 500, { error: { code: 500, message: "boom", status: "INTERNAL" } });
const rateLimited =
  (retryAfter?: string): TestHandler =>
  (_, response) =>
    sendJson(
      response,
      429,
      { error: { code: 429, message: "slow down", status: "RESOURCE_EXHAUSTED" } },
      retryAfter === undefined ? {} : { "retry-after": retryAfter },
    );

async function setup(handler: TestHandler, retry: RetryOptions = {}, random = () => 0.5) {
  server = await startTestServer(handler);
  const clock = fakeClock();
  const client = createJobRunsClient({ endpoint: server.url, retry, clock, random });
  return { client, clock, requests: server.requests };
}

describe("retries (Google's policy for get and list)", () => {
  it("retries UNAVAILABLE with exponential backoff and full jitter: 1 s, then ×1.3", async () => {
    const { client, clock, requests } = await setup(scripted(unavailable, unavailable, unavailable, ok));
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.name).toBe(JOB_RUN);
    expect(requests).toHaveLength(4);
    // random() = 0.5 of ceilings 1000, 1300, 1690
    expect(clock.sleeps).toEqual([500, 650, 845]);
  });

  it("caps the backoff ceiling at maxDelayMs (60 s by default)", async () => {
    const steps = Array.from({ length: 20 }, () => unavailable);
    const { client, clock } = await setup(scripted(...steps, ok), { maxAttempts: 30 }, () => 1);
    await client.getJobRun({ name: JOB_RUN });
    expect(Math.max(...clock.sleeps)).toBe(60_000);
    expect(clock.sleeps[0]).toBe(1000);
    expect(clock.sleeps[1]).toBeCloseTo(1300);
  });

  it("gives up when the 600 s total budget would be passed, with the last error", async () => {
    const { client, clock, requests } = await setup(
      unavailable,
      { maxAttempts: Number.POSITIVE_INFINITY },
      () => 1,
    );
    const error = (await client.listJobRuns({ parent: ROLLOUT }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toBe("backend unavailable");
    const total = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(600_000);
    expect(total + Math.min(60_000, clock.sleeps.at(-1)! * 1.3)).toBeGreaterThanOrEqual(600_000);
    expect(requests.length).toBe(clock.sleeps.length + 1);
  });

  it("makes at most 10 attempts by default", async () => {
    const { client, requests } = await setup(unavailable);
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(requests).toHaveLength(10);
  });

  it("honours maxAttempts", async () => {
    const { client, requests } = await setup(unavailable, { maxAttempts: 3 });
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(requests).toHaveLength(3);
  });

  it("honours Retry-After on 503 (seconds)", async () => {
    const withRetryAfter: TestHandler = (_, response) =>
      sendJson(
        response,
        503,
        { error: { code: 503, message: "later", status: "UNAVAILABLE" } },
        { "retry-after": "7" },
      );
    const { client, clock } = await setup(scripted(withRetryAfter, ok));
    await client.getJobRun({ name: JOB_RUN });
    expect(clock.sleeps).toEqual([7000]);
  });

  describe("a server's wish to be retried sooner never beats the backoff", () => {
    const unavailableWith =
      (headers: Record<string, string>, retryDelay?: string): TestHandler =>
      (_, response) =>
        sendJson(
          response,
          503,
          {
            error: {
              code: 503,
              message: "later",
              status: "UNAVAILABLE",
              details:
                retryDelay === undefined
                  ? []
                  : [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }],
            },
          },
          headers,
        );
    const past = new Date(Date.UTC(2024, 0, 1)).toUTCString();
    it.each([
      ["Retry-After: 0", unavailableWith({ "retry-after": "0" })],
      ["a Retry-After date in the past", unavailableWith({ "retry-after": past })],
      ['RetryInfo retryDelay "0s"', unavailableWith({}, "0s")],
      ['RetryInfo retryDelay "0.001s"', unavailableWith({}, "0.001s")],
    ])("%s: waits the jittered backoff instead", async (_, handler) => {
      const { client, clock, requests } = await setup(scripted(handler, handler, handler, ok));
      await client.getJobRun({ name: JOB_RUN });
      expect(requests).toHaveLength(4);
      expect(clock.sleeps).toEqual([500, 650, 845]);
    });

    it("a server answering Retry-After: 0 forever gets a bounded number of requests", async () => {
      const { client, requests } = await setup(unavailableWith({ "retry-after": "0" }));
      // A real-time deadline: before the fix this loop only ended here, after hundreds of requests.
      const error = (await client
        .getJobRun({ name: JOB_RUN }, { timeoutMs: 2_000 })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe("UNAVAILABLE");
      expect(requests).toHaveLength(10);
    });

    it("a 429 with Retry-After: 0 waits the backoff too", async () => {
      const { client, clock } = await setup(scripted(rateLimited("0"), ok));
      await client.getJobRun({ name: JOB_RUN });
      expect(clock.sleeps).toEqual([500]);
    });
  });

  it("retries 429 when the server says when (Retry-After as an HTTP date)", async () => {
    server = await startTestServer(
      scripted(rateLimited(new Date(Date.UTC(2025, 0, 1, 0, 0, 12)).toUTCString()), ok),
    );
    const clock = fakeClock(Date.UTC(2025, 0, 1));
    const client = createJobRunsClient({ endpoint: server.url, clock });
    await client.getJobRun({ name: JOB_RUN });
    expect(clock.sleeps).toEqual([12_000]);
  });

  it("retries 429 when a RetryInfo detail says when", async () => {
    const withRetryInfo: TestHandler = (_, response) =>
      sendJson(response, 429, {
        error: {
          code: 429,
          message: "quota",
          status: "RESOURCE_EXHAUSTED",
          details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2.5s" }],
        },
      });
    const { client, clock } = await setup(scripted(withRetryInfo, ok));
    await client.getJobRun({ name: JOB_RUN });
    expect(clock.sleeps).toEqual([2500]);
  });

  it("does not retry 429 without a hint, nor when retryRateLimited is off", async () => {
    const first = await setup(scripted(rateLimited(), ok));
    await expect(first.client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({
      code: "RESOURCE_EXHAUSTED",
    });
    expect(first.requests).toHaveLength(1);
    await server?.close();
    const second = await setup(scripted(rateLimited("1"), ok), { retryRateLimited: false });
    await expect(second.client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({
      code: "RESOURCE_EXHAUSTED",
    });
    expect(second.requests).toHaveLength(1);
  });

  it("does not retry codes outside the policy (500 INTERNAL)", async () => {
    const { client, requests } = await setup(scripted(internal, ok));
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "INTERNAL" });
    expect(requests).toHaveLength(1);
  });

  it("retries what retryCodes lists", async () => {
    const { client, requests } = await setup(scripted(internal, ok), {
      retryCodes: ["UNAVAILABLE", "INTERNAL"],
    });
    await client.getJobRun({ name: JOB_RUN });
    expect(requests).toHaveLength(2);
  });

  it("retries a reset connection and a body cut short (both UNAVAILABLE)", async () => {
    const text = JSON.stringify(jobRunJson());
    const { client, requests } = await setup(
      scripted(
        (_, response) => {
          response.socket?.destroy();
        },
        (_, response) => {
          response.writeHead(200, { "content-length": String(text.length) });
          response.write(text.slice(0, 10));
          setTimeout(() => response.socket?.destroy(), 10);
        },
        ok,
      ),
    );
    await client.getJobRun({ name: JOB_RUN });
    expect(requests).toHaveLength(3);
  });

  it("never retries terminate, whatever the policy says", async () => {
    const { client, requests } = await setup(scripted(unavailable, ok), {
      retryCodes: ["UNAVAILABLE", "INTERNAL"],
    });
    await expect(client.terminateJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(requests).toHaveLength(1);
  });

  it("retry: false makes one attempt", async () => {
    const { client, requests } = await setup(scripted(unavailable, ok), false);
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(requests).toHaveLength(1);
  });

  it("refuses a nonsensical policy when the client is made", () => {
    expect(() => createJobRunsClient({ retry: { delayMultiplier: 0.5 } })).toThrow(/delayMultiplier/);
    expect(() => createJobRunsClient({ retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
  });
});

describe("abort and timeouts", () => {
  const hang: TestHandler = () => undefined;

  it("a caller's abort rejects with CANCELLED and its reason as cause", async () => {
    const { client } = await setup(hang);
    const controller = new AbortController();
    const pending = client.getJobRun({ name: JOB_RUN }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user pressed q")), 20);
    const error = (await pending.catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("CANCELLED");
    expect((error.cause as Error).message).toBe("user pressed q");
  });

  it("an already aborted signal sends nothing", async () => {
    const { client, requests } = await setup(ok);
    await expect(client.getJobRun({ name: JOB_RUN }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "CANCELLED",
    });
    expect(requests).toHaveLength(0);
  });

  it("an abort during a backoff wait ends the call at once", async () => {
    server = await startTestServer(unavailable);
    const controller = new AbortController();
    const clock = fakeClock();
    const setTimer = clock.setTimeout;
    clock.setTimeout = (callback, ms) => {
      controller.abort();
      return setTimer(callback, ms);
    };
    const client = createJobRunsClient({ endpoint: server.url, clock });
    await expect(client.getJobRun({ name: JOB_RUN }, { signal: controller.signal })).rejects.toMatchObject({
      code: "CANCELLED",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("a call's timeoutMs gives DEADLINE_EXCEEDED when the server never answers", async () => {
    const { client } = await setup(hang);
    const started = Date.now();
    const error = (await client
      .getJobRun({ name: JOB_RUN }, { timeoutMs: 100 })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the client's timeoutMs is the default, and covers a body that trickles too slowly", async () => {
    server = await startTestServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"name":');
      // ...and the rest never comes.
    });
    const client = createJobRunsClient({ endpoint: server.url, timeoutMs: 100 });
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("a slow body that finishes in time is read whole", async () => {
    const text = JSON.stringify(jobRunJson());
    server = await startTestServer(async (_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < text.length; i += 64) {
        response.write(text.slice(i, i + 64));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      response.end();
    });
    const client = createJobRunsClient({ endpoint: server.url, timeoutMs: 5000 });
    expect((await client.getJobRun({ name: JOB_RUN })).etag).toBe("abc123");
  });

  // The attempt timeout is long enough for the request to reach the test server on a loaded CI
  // machine (at 50 ms it was once cut before it arrived, and the server counted no attempt at all).
  it("an attempt that passes attemptTimeoutMs fails with DEADLINE_EXCEEDED, not retried by default", async () => {
    const { client, requests } = await setup(scripted(hang, ok), { attemptTimeoutMs: 500 });
    await expect(client.getJobRun({ name: JOB_RUN })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    expect(requests).toHaveLength(1);
  });

  it("an attempt timeout is retried when DEADLINE_EXCEEDED is in retryCodes", async () => {
    const { client, requests } = await setup(scripted(hang, ok), {
      attemptTimeoutMs: 500,
      retryCodes: ["UNAVAILABLE", "DEADLINE_EXCEEDED"],
    });
    await client.getJobRun({ name: JOB_RUN });
    expect(requests).toHaveLength(2);
  });
});

describe("timeouts beyond setTimeout's 2^31 ms", () => {
  it("a call's timeoutMs of 2^31 ms or more waits instead of failing at once", async () => {
    const { client } = await setup(async (_, response) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sendJson(response, 200, jobRunJson());
    });
    for (const timeoutMs of [2 ** 31, 40 * 24 * 3600_000]) {
      expect((await client.getJobRun({ name: JOB_RUN }, { timeoutMs })).name).toBe(JOB_RUN);
    }
  });

  it("the system clock sleeps a long Retry-After instead of retrying at once", async () => {
    const { systemClock } = await import("../src/index.js");
    const { sleep } = await import("@jobrun/core");
    let woke = false;
    const controller = new AbortController();
    const sleeping = sleep(systemClock, 2 ** 31 + 1_000, controller.signal).then(() => {
      woke = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(woke).toBe(false);
    controller.abort(new Error("done"));
    await expect(sleeping).rejects.toThrow("done");
  });
});

describe("listAllJobRuns", () => {
  it("fails clearly when the server repeats a page token, instead of looping forever", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, listPageJson(2, "same")));
    const client = createJobRunsClient({ endpoint: server.url });
    let seen = 0;
    const error = await (async () => {
      for await (const _ of client.listAllJobRuns({ parent: ROLLOUT })) {
        seen += 1;
        if (seen > 100) return new Error("still listing after 100 runs");
      }
      return undefined;
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNKNOWN" });
    expect((error as ApiError).message).toMatch(/nextPageToken already used/);
    expect(server.requests).toHaveLength(2);
    expect(seen).toBe(4);
  });

  it("fetches pages lazily and stops fetching when the consumer breaks", async () => {
    server = await startTestServer((request, response) => {
      const token = new URL(request.url, "http://x").searchParams.get("pageToken") ?? "";
      const page = Number(token || "0");
      sendJson(response, 200, listPageJson(10, page < 9 ? String(page + 1) : ""));
    });
    const client = createJobRunsClient({ endpoint: server.url });
    let seen = 0;
    for await (const run of client.listAllJobRuns({ parent: ROLLOUT, pageSize: 10 })) {
      expect(run.name.startsWith(ROLLOUT)).toBe(true);
      seen += 1;
      if (seen === 15) break;
    }
    expect(server.requests).toHaveLength(2);
    let all = 0;
    for await (const _ of client.listAllJobRuns({ parent: ROLLOUT, pageSize: 10 })) all += 1;
    expect(all).toBe(100);
    expect(server.requests).toHaveLength(12);
  });
});
