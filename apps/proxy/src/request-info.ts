// Cheap reads of the incoming request. On Node (@hono/node-server) the adapter hands the raw
// IncomingMessage over as `env.incoming`; reading a header from `Request.headers` there would build
// a whole Fetch Headers object from the raw header list on every request, so the few headers the hot
// path needs are read from Node's own (already parsed) header object instead.

import type { Context } from "hono";

/** What @hono/node-server passes as the env; absent on Workers and in `app.request()`. */
interface NodeBindings {
  readonly incoming?: { readonly url?: unknown; readonly headers?: Record<string, unknown> };
}

const incomingOf = (c: Context) => (c.env as NodeBindings | undefined)?.incoming;

/**
 * Headers for which Node joins repeated fields with ", " exactly as Fetch's `Headers.get` does, so
 * both sources give the same value. (Node keeps only the first Authorization, Content-Type, Host…:
 * those are always read through `Request.headers`.)
 */
export type JoinedHeader = "origin" | "x-request-id" | "if-none-match" | "access-control-request-method";

/** A request header, as `c.req.header(name)` would return it. */
export function header(c: Context, name: JoinedHeader): string | undefined {
  const headers = incomingOf(c)?.headers;
  if (headers !== undefined) {
    const value = headers[name];
    if (value === undefined || typeof value === "string") return value;
  }
  return c.req.raw.headers.get(name) ?? undefined;
}

/**
 * The path as the caller sent it, still percent-encoded. The WHATWG URL parser behind `Request.url`
 * resolves dot segments (also `%2e%2e`), which would hide them from validation; on Node the raw
 * request line is at hand, so dot segments are refused instead of silently resolved.
 */
export function rawPath(c: Context): string {
  const incoming = originForm(incomingOf(c)?.url);
  if (incoming !== undefined) {
    const q = incoming.indexOf("?");
    return q < 0 ? incoming : incoming.slice(0, q);
  }
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}

/** The (empty) query of every call without one; compare with it to skip work on the query. */
export const NO_QUERY_MARK: URLSearchParams = new URLSearchParams();

/**
 * The query parameters. Most calls have no query at all, and parsing the whole URL only to find
 * that out costs more than the rest of the routing; with a query, the URL is parsed as before.
 * The returned object must not be changed.
 */
export function queryOf(c: Context): URLSearchParams {
  const incoming = incomingOf(c)?.url;
  const target = typeof incoming === "string" ? incoming : c.req.url;
  return target.includes("?") ? new URL(c.req.url).searchParams : NO_QUERY_MARK;
}

/**
 * The request-target in origin form (`/path?query`), as sent. An absolute-form target
 * (`GET http://host/path HTTP/1.1`, which RFC 9112 has servers accept) is cut down to its path and
 * query, still raw: its dot segments must be refused like any others, not resolved by a URL parser.
 */
function originForm(target: unknown): string | undefined {
  if (typeof target !== "string") return undefined;
  if (target.startsWith("/")) return target;
  const scheme = /^https?:\/\//i.exec(target);
  if (scheme === null) return undefined;
  const rest = target.slice(scheme[0].length);
  const end = rest.search(/[/?]/);
  if (end < 0) return "/";
  return rest[end] === "/" ? rest.slice(end) : `/${rest.slice(end)}`;
}

/**
 * The Host header of a request whose target was in absolute form, or undefined. There the URL's
 * host comes from the target, so a Host check on the URL alone would let the Host header through
 * unchecked: both must pass.
 */
export function hostOfAbsoluteForm(c: Context): string | undefined {
  const incoming = incomingOf(c);
  const target = incoming?.url;
  if (typeof target !== "string" || target.startsWith("/")) return undefined;
  const host = incoming?.headers?.host;
  return typeof host === "string" ? host : "";
}

/** Whether the request came through @hono/node-server (its bindings are the env). */
export function servedByNode(c: Context): boolean {
  return incomingOf(c) !== undefined;
}
