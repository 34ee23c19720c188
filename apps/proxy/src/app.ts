import { ApiError, isLoopback, type JobRunService, matchRoute, type RouteMatch } from "@jobrun/core";
import { type Context, Hono } from "hono";
import { BoundedMemo } from "./bounded-memo.js";
import type { ResponseCache } from "./cache.js";
import { errorResponse, toApiError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { header, hostOfAbsoluteForm, rawPath, servedByNode } from "./request-info.js";
import { handleRpc, type RpcContext, validateMatch } from "./rpc.js";
import { type AuthOptions, authenticate } from "./steps/auth.js";
import { DEFAULT_MAX_BODY_BYTES } from "./steps/body-limit.js";
import { type CorsOptions, cors } from "./steps/cors.js";
import { EncodedRunMemo } from "./steps/etag.js";
import { jsonLineSink, logRequest } from "./steps/logger.js";
import { type RateLimiter, rateLimited } from "./steps/rate-limit.js";
import { requestIdOf } from "./steps/request-id.js";
import type { LogSink, ProxyEnv, RequestState } from "./types.js";

export interface ProxyOptions {
  /** Where the job runs are: an emulator, a @jobrun/client pointed at Google, any JobRunService. */
  readonly backend: JobRunService;
  /** Who may call; `"none"` only behind loopback or on purpose. Required, so openness is never a default. */
  readonly auth: AuthOptions;
  /** Browser origins allowed to call. Default none. */
  readonly cors?: CorsOptions;
  /** Per-caller limit; 429 with Retry-After past it. Default none. */
  readonly rateLimit?: RateLimiter;
  /** Edge cache of finished runs (Workers: the Cache API). Default none. */
  readonly cache?: ResponseCache;
  /** Structured request logs; `false` for none. Default JSON lines on stdout. */
  readonly log?: LogSink | false;
  /**
   * How long one backend call may take. Default none here: the google backend has its own budget
   * (retries included), and an in-memory backend answers at once.
   */
  readonly timeoutMs?: number;
  /**
   * Abandon the backend call when the caller disconnects. Default true; an in-memory backend answers
   * synchronously, so the CLI and Worker turn it off for the emulator (it costs a listener per call).
   */
  readonly cancelOnDisconnect?: boolean;
  /** Largest request body in bytes. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /**
   * Host names (without port) the proxy answers to; others get 403. `"loopback"`: every name core's
   * `isLoopback` accepts (localhost, 127.0.0.0/8, [::1]), the same test the CLI applies to `--host`.
   * Set it for an unauthenticated loopback proxy: it stops a web page from reaching it through DNS
   * rebinding.
   */
  readonly allowedHosts?: readonly string[] | "loopback";
}

type Match = Extract<RouteMatch, { kind: "match" }>;

/** A path the route table does not know and no method of it serves. */
const notFound = (path: string) =>
  new ApiError(
    "NOT_FOUND",
    `no such REST method: ${JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path)}`,
  );

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * The proxy: Cloud Deploy's JobRun REST surface over any JobRunService, behind auth, scopes, limits
 * and caching. It is a plain Hono app (`app.fetch`), for Node, Workers, or `app.request()` in tests.
 *
 * Every request goes through one handler that runs the steps in a fixed order: request id, Host
 * check, CORS, health and OpenAPI (before auth), auth, rate limit, route, RPC; then the log line.
 * One function instead of a chain of Hono middleware: the chain cost a closure, a promise and a
 * context-variable write per step per request, which was most of a GET's time in the proxy.
 */
export function createProxy(options: ProxyOptions): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();
  const rpc: RpcContext = {
    backend: options.backend,
    cache: options.cache,
    memo: new EncodedRunMemo(),
    timeoutMs: options.timeoutMs,
    cancelOnDisconnect: options.cancelOnDisconnect ?? true,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const openapi = JSON.stringify(openApiDocument());
  const sink = options.log === false ? undefined : (options.log ?? jsonLineSink);
  const hostAllowed = options.allowedHosts === undefined ? undefined : hostGuard(options.allowedHosts);
  const corsStep = cors(options.cors ?? { origins: [] });
  const auth = authenticate(options.auth);
  const limiter = options.rateLimit;
  // Matches whose resource name already passed validation, by method and raw path. Matching and
  // validating are pure functions of that text, so a repeated request skips both.
  const routes = new BoundedMemo<Match>(1000);

  const serve = async (c: Context<ProxyEnv>, state: RequestState, method: string): Promise<Response> => {
    if (hostAllowed !== undefined && !hostAllowed(c.req.url, hostOfAbsoluteForm(c))) {
      const error = new ApiError("PERMISSION_DENIED", "this proxy does not answer to that Host");
      return errorResponse(error, state.headers);
    }
    const preflight = corsStep(c, state);
    if (preflight !== undefined) return preflight;
    if (method === "GET") {
      // As the Hono routes they were: exact paths, no trailing slash, any query.
      const path = c.req.path;
      if (path === "/healthz") return c.body('{"status":"ok"}', 200, { ...state.headers, ...JSON_HEADERS });
      if (path === "/openapi.json") return c.body(openapi, 200, { ...state.headers, ...JSON_HEADERS });
    }
    const caller = await auth(c, state);
    if (caller instanceof Response) return caller;
    state.caller = caller;
    if (limiter !== undefined) {
      const refused = await rateLimited(limiter, state, caller.id);
      if (refused !== undefined) return refused;
    }
    const path = rawPath(c);
    const memoKey = `${method} ${path}`;
    const known = routes.get(memoKey);
    if (known !== undefined) return handleRpc(c, state, known, rpc, true);
    const match = matchRoute(method, path);
    if (match.kind === "not-found") throw notFound(path);
    if (match.kind === "method-not-allowed") {
      // HEAD is served wherever GET is (RFC 9110 §9.3.2).
      const allow = match.allow.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])).join(", ");
      const error = new ApiError(
        "UNIMPLEMENTED",
        `method ${c.req.method} is not allowed here; use ${allow}`,
        {
          httpStatus: 405,
        },
      );
      return errorResponse(error, { ...state.headers, allow });
    }
    validateMatch(match);
    routes.set(memoKey, match);
    return handleRpc(c, state, match, rpc, true);
  };

  app.all("*", async (c) => {
    const start = sink === undefined ? 0 : performance.now();
    const id = requestIdOf(header(c, "x-request-id"));
    const state: RequestState = {
      id,
      headers: { "x-request-id": id, vary: "Origin" },
      fields: {},
      caller: undefined,
    };
    const head = c.req.method === "HEAD";
    let response: Response;
    try {
      response = await serve(c, state, head ? "GET" : c.req.method);
    } catch (error) {
      response = failed(error, state);
    }
    if (head) response = await withoutBody(response, servedByNode(c));
    if (sink !== undefined) logRequest(sink, state, c.req.method, c.req.path, response.status, start);
    return response;
  });
  // Not reached (the one handler answers everything); kept so nothing ever falls through to Hono's
  // plain-text defaults.
  app.notFound((c) => errorResponse(notFound(c.req.path)));
  app.onError((error) => errorResponse(toApiError(error)));
  return app;
}

/**
 * The answer to a HEAD: the GET's status and headers, and no body. On Node the GET's Content-Length
 * is set explicitly (the adapter would derive none from a bodiless Response); workerd drops a HEAD's
 * body itself and resets the connection when a bodiless response declares a length.
 */
async function withoutBody(response: Response, declareLength: boolean): Promise<Response> {
  const length = (await response.arrayBuffer()).byteLength;
  const headers = new Headers(response.headers);
  if (declareLength) headers.set("content-length", String(length));
  return new Response(null, { status: response.status, headers });
}

/** The google.rpc.Status answer to anything thrown while serving; our own faults are logged with their cause. */
function failed(error: unknown, state: RequestState): Response {
  const apiError = toApiError(error);
  state.fields.error = apiError.code;
  // A server-side failure is logged with its cause's message: our own faults, and what the google
  // backend kept from the caller (callerSafeError). Never the stack, and never to the caller. (A
  // client error's cause may quote the caller's body, which the log never holds.)
  if (apiError.httpStatus >= 500 && apiError.cause instanceof Error)
    state.fields.cause = apiError.cause.message;
  return errorResponse(apiError, state.headers);
}

/**
 * Whether a request URL's host is one of `hosts` (and, for an absolute-form target, the Host header
 * too). The answer depends only on the URL's origin, of which a proxy sees very few, so it is
 * remembered per origin instead of parsing every URL.
 */
function hostGuard(
  hosts: readonly string[] | "loopback",
): (url: string, absoluteFormHost: string | undefined) => boolean {
  const allowed =
    hosts === "loopback"
      ? isLoopback
      : (
          (names: ReadonlySet<string>) => (host: string) =>
            names.has(host)
        )(new Set(hosts.map((h) => h.toLowerCase())));
  const seen = new BoundedMemo<boolean>(64);
  return (url, hostHeader) => {
    const slash = url.indexOf("/", url.indexOf("//") + 2);
    const origin = slash < 0 ? url : url.slice(0, slash);
    let ok = seen.get(origin);
    if (ok === undefined) {
      ok = allowed(new URL(url).hostname.toLowerCase());
      seen.set(origin, ok);
    }
    if (!ok || hostHeader === undefined) return ok;
    return (
      URL.canParse(`http://${hostHeader}`) && allowed(new URL(`http://${hostHeader}`).hostname.toLowerCase())
    );
  };
}
