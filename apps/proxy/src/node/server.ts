/// <reference types="node" />
// The proxy's HTTP server on Node: @hono/node-server's request listener on a node:http server with
// limits on what a slow or greedy client can hold. Node's defaults let a client take 60 s to send
// its headers and 300 s for a whole request, checked only every 30 s (so 92 s and 331 s in
// practice), with no cap on connections: a few thousand idle sockets cost the server its file
// descriptors, and with them /healthz.

import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { ApiError } from "@jobrun/core";
import { errorResponse } from "../errors.js";
import { requestIdOf } from "../steps/request-id.js";
import type { LogSink } from "../types.js";

export interface ServerLimits {
  /** How long a client may take to send a request's headers (also: to send anything at all). */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send a whole request, body included. At least headersTimeoutMs. */
  readonly requestTimeoutMs: number;
  /** Open connections at most; one more is closed as soon as it is accepted. */
  readonly maxConnections: number;
}

/**
 * A request takes milliseconds to send; these leave room for a slow mobile link and none for a
 * client that dribbles. 1,000 connections stay inside the common 1,024-descriptor soft limit with
 * room for the process's own files; a proxy behind a load balancer sees far fewer.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1_000,
};

type FetchHandler = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * A node:http server (not yet listening) that serves `fetch` within `limits`. A client past a timeout
 * gets 408 and the connection is closed. A request that @hono/node-server cannot turn into a Fetch
 * Request (a backslash in the path, a malformed absolute URL or Host) gets the same google.rpc.Status
 * JSON with an `x-request-id` as every other refusal, instead of the adapter's bare 400.
 */
export function createNodeServer(
  fetch: FetchHandler,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
  log?: LogSink,
): Server {
  const listener = getRequestListener(fetch, {
    errorHandler: (error) => unreadableRequest(error, log),
  });
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node looks for connections past those timeouts (30 s by default, which is what
      // stretched 60 s into 92 s). A pass over the connection list is cheap.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

/** The answer to a request the adapter could not read; the app never saw it, so it is logged here. */
function unreadableRequest(error: unknown, log: LogSink | undefined): Response {
  const id = requestIdOf(undefined);
  // The adapter's own RequestError messages ("Backslash in request path", "Invalid host header")
  // describe the request, not the server; anything else is a fault of ours.
  const apiError =
    error instanceof Error && error.name === "RequestError"
      ? new ApiError("INVALID_ARGUMENT", `the request is malformed: ${error.message}`)
      : new ApiError("INTERNAL", "internal error; the request id in x-request-id identifies it in the logs");
  log?.({
    time: new Date().toISOString(),
    level: apiError.httpStatus >= 500 ? "error" : "warn",
    msg: "request",
    requestId: id,
    status: apiError.httpStatus,
    error: apiError.code,
    cause: error instanceof Error ? error.message : String(error),
  });
  return errorResponse(apiError, { "x-request-id": id });
}
