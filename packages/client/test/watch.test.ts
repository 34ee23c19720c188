// watchJobRuns: the SSE parser, the polling fallback against a fake Google (which has no watch), and
// the stream's reconnects against a server that plays the proxy's part of the protocol byte by byte.
// The client against the real proxy is tested in the proxy's package (apps/proxy/test/watch-client).

import type { ServerResponse } from "node:http";
import { watchReader } from "@jobrun/conformance";
import type { JobRunJson } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { createJobRunsClient, createSseParser, type SseEvent, type WatchMode } from "../src/index.js";
import { startTestServer, type TestServer } from "./support/http-server.js";

const PARENT = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
const run = (id: string, state: NonNullable<JobRunJson["state"]>, etag = `${id}-${state}`): JobRunJson => ({
  name: `${PARENT}/jobRuns/${id}`,
  state,
  etag,
});

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe("the SSE parser", () => {
  function parse(chunks: readonly string[]): { events: SseEvent[]; retries: number[] } {
    const events: SseEvent[] = [];
    const retries: number[] = [];
    const parser = createSseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) });
    for (const chunk of chunks) parser.feed(chunk);
    return { events, retries };
  }

  it("reads events split anywhere, with LF, CRLF or CR line endings", () => {
    const text = 'id: 1\ndata: {"a":1}\n\n: heartbeat\n\nevent: error\r\ndata: x\r\n\r\nid: 2\rdata: y\r\r';
    const whole = parse([text]);
    const bytewise = parse([...text]);
    for (const { events } of [whole, bytewise]) {
      expect(events).toEqual([
        { event: "message", data: '{"a":1}', lastEventId: "1" },
        { event: "error", data: "x", lastEventId: "1" },
        { event: "message", data: "y", lastEventId: "2" },
      ]);
    }
  });

  it("joins data lines, drops one leading space, a BOM, ids with NUL; reads retry", () => {
    const { events, retries } = parse([
      "\uFEFFdata:a\ndata:  b\nid: x\u0000y\n\nretry: 1500\nretry: soon\n\n",
    ]);
    expect(events).toEqual([{ event: "message", data: "a\n b", lastEventId: "" }]);
    expect(retries).toEqual([1500]);
  });

  it("dispatches nothing for a block without data, and keeps the last id for the next", () => {
    const { events } = parse(["id: 7\n\ndata: z\n\n"]);
    expect(events).toEqual([{ event: "message", data: "z", lastEventId: "7" }]);
  });
});

describe("against an endpoint without a watch (Google's own): polling the listing", () => {
  it("sends the initial state once, then the differences every pollIntervalMs", async () => {
    let runs = [run("a", "IN_PROGRESS"), run("b", "SUCCEEDED")];
    const server = await startTestServer((request, response) => {
      const url = new URL(request.url, "http://x");
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (decodeURIComponent(url.pathname) === `/v1/${PARENT}/jobRuns`) return json(200, { jobRuns: runs });
      // Google's answer to a method it does not have.
      return json(404, { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } });
    });
    servers.push(server);
    const modes: WatchMode[] = [];
    const controller = new AbortController();
    const client = createJobRunsClient({ endpoint: server.url, pollIntervalMs: 50 });
    const watch = watchReader(
      client.watchJobRuns(
        { parent: PARENT },
        { signal: controller.signal, onMode: (mode) => modes.push(mode) },
      ),
    );
    expect(await watch.take(3)).toEqual(["EXISTING a IN_PROGRESS", "EXISTING b SUCCEEDED", "SYNCED"]);
    expect(modes).toEqual(["polling"]);
    runs = [run("a", "TERMINATING"), run("c", "IN_PROGRESS")];
    expect((await watch.take(3)).sort()).toEqual([
      "ADDED c IN_PROGRESS",
      "CHANGED a TERMINATING",
      "REMOVED b SUCCEEDED",
    ]);
    // Nothing changes: nothing is sent, however many polls.
    const lists = () => server.requests.filter((r) => r.url.includes("/jobRuns?")).length;
    const before = lists();
    const pending = watch.next();
    // Polls go on (at least two more) while nothing is sent; waited for, not timed, so that a busy
    // machine's slower polls cannot fail it.
    const deadline = Date.now() + 10_000;
    while (lists() <= before + 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(lists()).toBeGreaterThan(before + 1);
    expect(await Promise.race([pending, "nothing yet"])).toBe("nothing yet");
    runs = [run("a", "TERMINATED"), run("c", "IN_PROGRESS")];
    expect(await pending).toBe("CHANGED a TERMINATED");
    // The watch was tried once, then never again.
    expect(server.requests.filter((r) => r.url.includes(":watch"))).toHaveLength(1);
    controller.abort();
    expect(await watch.next()).toBe("END");
  });

  it("throws the listing's refusal instead of polling on", async () => {
    const server = await startTestServer((_, response) => {
      response.writeHead(request404(_.url) ? 404 : 403, { "content-type": "application/json" });
      response.end(
        JSON.stringify(
          request404(_.url)
            ? { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } }
            : { error: { code: 403, message: "denied", status: "PERMISSION_DENIED" } },
        ),
      );
    });
    servers.push(server);
    const client = createJobRunsClient({ endpoint: server.url, pollIntervalMs: 50 });
    const iterator = client.watchJobRuns({ parent: PARENT })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
  });
});

function request404(url: string): boolean {
  return url.includes(":watch");
}

/** A server that plays the proxy's side of the stream, a script per connection. */
async function sseServer(
  script: (connection: number, lastEventId: string | undefined, response: ServerResponse) => void,
): Promise<TestServer> {
  let connections = 0;
  const server = await startTestServer((request, response) => {
    connections += 1;
    const last = request.headers["last-event-id"];
    script(connections, typeof last === "string" ? last : undefined, response);
  });
  servers.push(server);
  return server;
}

const event = (type: string, jobRun?: JobRunJson, id?: string) =>
  `${id === undefined ? "" : `id: ${id}\n`}data: ${JSON.stringify(jobRun === undefined ? { type } : { type, jobRun })}\n\n`;

function streamHead(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
  response.write("retry: 50\n\n");
}

describe("the event stream", () => {
  it("is live, and resumes with Last-Event-ID after the server ends it, without a second initial state", async () => {
    const seenIds: (string | undefined)[] = [];
    const server = await sseServer((n, last, response) => {
      seenIds.push(last);
      streamHead(response);
      if (n === 1) {
        response.write(event("EXISTING", run("a", "IN_PROGRESS")));
        response.write(event("SYNCED", undefined, "e.0"));
        response.write(event("CHANGED", run("a", "TERMINATING"), "e.1"));
        response.end();
      } else {
        response.write(event("CHANGED", run("a", "TERMINATED"), "e.2"));
      }
    });
    const modes: WatchMode[] = [];
    const controller = new AbortController();
    const client = createJobRunsClient({ endpoint: server.url });
    const watch = watchReader(
      client.watchJobRuns({ parent: PARENT }, { signal: controller.signal, onMode: (m) => modes.push(m) }),
    );
    expect(await watch.take(4)).toEqual([
      "EXISTING a IN_PROGRESS",
      "SYNCED",
      "CHANGED a TERMINATING",
      "CHANGED a TERMINATED",
    ]);
    expect(seenIds).toEqual([undefined, "e.1"]);
    expect(modes).toEqual(["live"]);
    const watchRequest = server.requests[0];
    expect(watchRequest?.headers.accept).toBe("text/event-stream");
    expect(watchRequest?.url).toContain("%24alt=json%3Benum-encoding%3Dint");
    controller.abort();
    expect(await watch.next()).toBe("END");
  });

  it("turns a fresh initial state after a reconnect into the differences", async () => {
    const server = await sseServer((n, _last, response) => {
      streamHead(response);
      if (n === 1) {
        response.write(event("EXISTING", run("a", "IN_PROGRESS")));
        response.write(event("EXISTING", run("b", "IN_PROGRESS")));
        response.write(event("SYNCED", undefined, "old.0"));
        response.end();
      } else {
        // Another proxy (or a restarted one) does not know "old.0": it starts over.
        response.write(event("EXISTING", run("a", "IN_PROGRESS")));
        response.write(event("EXISTING", run("c", "IN_PROGRESS")));
        response.write(event("SYNCED", undefined, "new.0"));
      }
    });
    const controller = new AbortController();
    const client = createJobRunsClient({ endpoint: server.url, random: () => 0 });
    const watch = watchReader(client.watchJobRuns({ parent: PARENT }, { signal: controller.signal }));
    expect(await watch.take(3)).toEqual(["EXISTING a IN_PROGRESS", "EXISTING b IN_PROGRESS", "SYNCED"]);
    expect((await watch.take(2)).sort()).toEqual(["ADDED c IN_PROGRESS", "REMOVED b IN_PROGRESS"]);
    controller.abort();
  });

  it("reconnects after an error event that another try may fix; throws one that it would not", async () => {
    const server = await sseServer((n, _last, response) => {
      streamHead(response);
      if (n === 1) {
        response.write(event("EXISTING", run("a", "IN_PROGRESS")));
        response.write(event("SYNCED", undefined, "e.0"));
        response.write(
          `event: error\ndata: ${JSON.stringify({ error: { code: 429, message: "too slow", status: "RESOURCE_EXHAUSTED" } })}\n\n`,
        );
        response.end();
      } else if (n === 2) {
        response.write(event("ADDED", run("b", "IN_PROGRESS"), "e.1"));
        response.write(
          `event: error\ndata: ${JSON.stringify({ error: { code: 403, message: "key revoked", status: "PERMISSION_DENIED" } })}\n\n`,
        );
        response.end();
      }
    });
    const client = createJobRunsClient({ endpoint: server.url, random: () => 0 });
    const watch = watchReader(client.watchJobRuns({ parent: PARENT }));
    expect(await watch.take(3)).toEqual(["EXISTING a IN_PROGRESS", "SYNCED", "ADDED b IN_PROGRESS"]);
    await expect(watch.iterator.next()).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
  });

  it("throws the server's refusal to open a stream (a status answer, not a stream)", async () => {
    const server = await sseServer((_n, _last, response) => {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { code: 400, message: "bad filter", status: "INVALID_ARGUMENT" } }),
      );
    });
    const client = createJobRunsClient({ endpoint: server.url });
    await expect(
      client.watchJobRuns({ parent: PARENT, filter: "state=" })[Symbol.asyncIterator]().next(),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "bad filter" });
    expect(server.requests).toHaveLength(1);
  });
});
