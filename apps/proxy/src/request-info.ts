// Cheap reads of the incoming request. On Node, @hono/node-server's bindings (node-server-adapter.ts)
// give the raw request line and Node's own, already parsed header object: reading a header from
// `Request.headers` there would build a whole Fetch Headers object from the raw header list on every
// request. Elsewhere (Workers, `app.request()`) the Fetch Request is read.

import type { Context } from "hono";
import { disconnectSignalOf, incomingHeaders, incomingTarget } from "./node-server-adapter.js";

/**
 * Headers for which Node joins repeated fields with ", " exactly as Fetch's `Headers.get` does, so
 * both sources give the same value. (Node keeps only the first Authorization, Content-Type, Host…:
 * those are always read through `Request.headers`.)
 */
export type JoinedHeader = "origin" | "x-request-id" | "if-none-match" | "access-control-request-method";

/** A request header, as `c.req.header(name)` would return it. */
export function header(c: Context, name: JoinedHeader): string | undefined {
  const headers = incomingHeaders(c.env);
  if (headers !== undefined) {
    const value = headers[name];
    if (value === undefined || typeof value === "string") return value;
  }
  return c.req.raw.headers.get(name) ?? undefined;
}

/**
 * The path as the caller sent it, still percent-encoded: the app's `getPath`, so it is what Hono
 * routes by and what `c.req.path` holds (Hono's own reads the whole URL again and decodes it). The
 * WHATWG URL parser behind `Request.url` resolves dot segments (also `%2e%2e`), which would hide them
 * from validation; on Node the raw request line is at hand, so dot segments are refused instead of
 * silently resolved.
 */
export function rawPathOf(request: Request, env: unknown): string {
  const target = incomingTarget(env);
  if (target !== undefined) {
    const q = target.indexOf("?");
    return q < 0 ? target : target.slice(0, q);
  }
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}

/** The request's raw path (see rawPathOf), as the app's `getPath` gave it to Hono. */
export function rawPath(c: Context): string {
  return c.req.path;
}

/** The (empty) query of every call without one; compare with it to skip work on the query. */
export const NO_QUERY_MARK: URLSearchParams = new URLSearchParams();

/**
 * The query parameters. Most calls have no query at all, and parsing the whole URL only to find
 * that out costs more than the rest of the routing; with a query, the URL is parsed as before.
 * The returned object must not be changed.
 */
export function queryOf(c: Context): URLSearchParams {
  const target = incomingTarget(c.env) ?? c.req.url;
  return target.includes("?") ? new URL(c.req.url).searchParams : NO_QUERY_MARK;
}

/**
 * A signal that fires when the caller goes away, so the backend call is abandoned. On Node it comes
 * from the response's "close"; elsewhere (Workers) the request's own signal is native and cheap.
 */
export function disconnectSignal(c: Context): AbortSignal {
  return disconnectSignalOf(c.env) ?? c.req.raw.signal;
}
