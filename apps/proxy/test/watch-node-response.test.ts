// On Node a watch stream writes @hono/node-server's `outgoing` response itself and answers the adapter
// with its already-sent marker (src/watch/node-stream.ts). Both are read by shape from the adapter:
// if its binding changed, the proxy would quietly fall back to a web stream (slower, and the fan-out
// and memory figures would no longer hold); if its marker changed, the adapter would write a second
// head. These tests hold both against the real adapter.

import type { ServerResponse } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alreadySent, nodeResponseOf } from "../src/node-server-adapter.js";
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
