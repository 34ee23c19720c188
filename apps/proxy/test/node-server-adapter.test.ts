// The shape of @hono/node-server's bindings that src/node-server-adapter.ts reads, checked against a
// real @hono/node-server. Without these bindings the proxy would still answer (it falls back to the
// Fetch Request), only slower and without its dot-segment check, so nothing else would notice a
// change in them: these tests do.
import type { ServerResponse } from "node:http";
import { connect } from "node:net";
import type { HttpBindings } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alreadySent,
  disconnectSignalOf,
  incomingHeaders,
  incomingTarget,
  type NodeServerBindings,
  nodeResponseOf,
} from "../src/node-server-adapter.js";
import type { JoinedHeader } from "../src/request-info.js";
import { type Served, serveFetch } from "./support/serve.js";

type Handler = (request: Request, env: unknown) => Response | Promise<Response>;

let handler: Handler = () => new Response("no handler");
let served: Served;

beforeAll(async () => {
  served = await serveFetch((request, env) => handler(request, env));
});
afterAll(async () => {
  await served.close();
});

/** Sends a request as raw bytes (the path as written, repeated header lines); resolves with the status line. */
function sendRaw(lines: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(served.port, "127.0.0.1", () => {
      socket.write(
        `${[...lines, `Host: 127.0.0.1:${served.port}`, "Connection: close"].join("\r\n")}\r\n\r\n`,
      );
    });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("end", () => resolve(received.slice(0, received.indexOf("\r\n"))));
    socket.on("error", reject);
  });
}

describe("@hono/node-server bindings", () => {
  it("give the request-target as sent, dot segments and percent-encoding intact", async () => {
    let seen: { target: string | undefined; typed: string | undefined; url: string } | undefined;
    handler = (request, env) => {
      // Checked by `pnpm typecheck` too: @hono/node-server's own type for its bindings still fits
      // the shape the adapter reads.
      const bindings: NodeServerBindings = env as HttpBindings;
      seen = { target: incomingTarget(env), typed: bindings.incoming.url, url: request.url };
      return new Response("ok");
    };
    const target = "/v1/projects/p/../q/jobRuns/%2e%2e/a%2Fb?pageSize=5&filter=x%20y";
    expect(await sendRaw([`GET ${target} HTTP/1.1`])).toBe("HTTP/1.1 200 OK");
    expect(seen?.target).toBe(target);
    expect(seen?.typed).toBe(target);
    // What the Fetch view would have given instead: the dot segments resolved away.
    expect(seen?.url).not.toContain("..");
  });

  it("give Node's headers, repeated fields joined exactly as Fetch's Headers.get joins them", async () => {
    const names: readonly JoinedHeader[] = [
      "origin",
      "x-request-id",
      "if-none-match",
      "access-control-request-method",
    ];
    const seen = new Map<string, { node: unknown; fetch: string | null }>();
    handler = (request, env) => {
      const headers = incomingHeaders(env);
      for (const name of names) seen.set(name, { node: headers?.[name], fetch: request.headers.get(name) });
      return new Response("ok");
    };
    const status = await sendRaw([
      "GET /healthz HTTP/1.1",
      "Origin: https://a.example",
      "Origin: https://b.example",
      "X-Request-Id: first",
      "x-request-id: second",
      'If-None-Match: "one"',
      'If-None-Match: W/"two", "three"',
      "Access-Control-Request-Method: POST",
      "Access-Control-Request-Method: GET",
    ]);
    expect(status).toBe("HTTP/1.1 200 OK");
    for (const name of names) {
      const { node, fetch } = seen.get(name)!;
      expect(typeof node, name).toBe("string");
      expect(node, name).toBe(fetch);
    }
    expect(seen.get("x-request-id")?.node).toBe("first, second");
  });

  it("answer undefined for a header the request does not have", async () => {
    let seen: { has: boolean; value: unknown } | undefined;
    handler = (_request, env) => {
      const headers = incomingHeaders(env);
      seen = { has: headers !== undefined, value: headers?.["if-none-match"] };
      return new Response("ok");
    };
    await sendRaw(["GET /healthz HTTP/1.1"]);
    expect(seen).toEqual({ has: true, value: undefined });
  });

  it("tell when the caller goes away before its response is written", async () => {
    let signal: AbortSignal | undefined;
    const aborted = new Promise<void>((resolve) => {
      handler = (_request, env) => {
        signal = disconnectSignalOf(env);
        signal?.addEventListener("abort", () => resolve());
        return new Promise<Response>(() => {}); // never answers: the caller leaves first
      };
    });
    const socket = connect(served.port, "127.0.0.1", () => {
      socket.write(`GET /slow HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\n\r\n`);
    });
    await expect.poll(() => signal).toBeDefined();
    expect(signal?.aborted).toBe(false);
    socket.destroy();
    await aborted;
    expect(signal?.aborted).toBe(true);
  });

  it("do not report a caller that got its whole response as gone", async () => {
    let signal: AbortSignal | undefined;
    let closed: Promise<void> | undefined;
    handler = (_request, env) => {
      signal = disconnectSignalOf(env);
      // Registered after the adapter's own listener, so it runs after it.
      closed = new Promise((resolve) => (env as HttpBindings).outgoing.once("close", () => resolve()));
      return new Response("done");
    };
    expect(await sendRaw(["GET /quick HTTP/1.1"])).toBe("HTTP/1.1 200 OK");
    await closed;
    expect(signal).toBeDefined();
    expect(signal?.aborted).toBe(false);
  });
});

describe("without @hono/node-server", () => {
  it("every read answers undefined, so callers use the Fetch Request", () => {
    for (const env of [undefined, {}, { BACKEND: "emulator" }]) {
      expect(incomingHeaders(env)).toBeUndefined();
      expect(incomingTarget(env)).toBeUndefined();
      expect(disconnectSignalOf(env)).toBeUndefined();
    }
  });
});

describe("alreadySent", () => {
  it("carries the header @hono/node-server's own RESPONSE_ALREADY_SENT carries, and no body", async () => {
    const { RESPONSE_ALREADY_SENT } = await import("@hono/node-server/utils/response");
    const ours = alreadySent();
    expect([...ours.headers]).toEqual([...RESPONSE_ALREADY_SENT.headers]);
    expect(ours.body).toBeNull();
  });
});

// On Node a watch stream writes the `outgoing` response itself and answers the adapter with its
// already-sent marker (src/watch/node-stream.ts). If the binding changed, the proxy would quietly fall
// back to a web stream (slower: the fan-out and memory figures would no longer hold); if the marker
// changed, the adapter would write a second head.
describe("the Node response a watch stream writes to, in the real @hono/node-server", () => {
  it("is the adapter's outgoing binding", async () => {
    let seen: unknown;
    handler = (_request, env) => {
      seen = nodeResponseOf(env);
      return new Response("ok");
    };
    expect(await (await fetch(served.url)).text()).toBe("ok");
    expect(seen).toBeDefined();
  });

  it("is left alone by the adapter while the app writes it, once answered with the already-sent marker", async () => {
    let outgoing: ServerResponse | undefined;
    handler = (_request, env) => {
      outgoing = (env as HttpBindings).outgoing as ServerResponse;
      outgoing.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      outgoing.write("data: first\n\n");
      return alreadySent();
    };
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    // The adapter has had its turn: a second head of its own would have failed and cut the stream.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outgoing?.destroyed).toBe(false);
    outgoing?.end("data: last\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("data: last\n\n");
  });

  it("is not there without the adapter (app.request, Workers): the stream is a web stream then", () => {
    expect(nodeResponseOf(undefined)).toBeUndefined();
    expect(nodeResponseOf({})).toBeUndefined();
  });
});
