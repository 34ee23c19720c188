import { type JobRunService, rawForwarderOf } from "@jobrun/core";
import { Hono } from "hono";
import type { ResponseCache } from "./cache.js";
import { errorResponse, toApiError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { header } from "./request-info.js";
import { rpc } from "./rpc.js";
import { type AuthOptions, auth } from "./steps/auth.js";
import { DEFAULT_MAX_BODY_BYTES } from "./steps/body-limit.js";
import { type CorsOptions, cors } from "./steps/cors.js";
import { EncodedRunMemo } from "./steps/etag.js";
import { hostGuard } from "./steps/host-guard.js";
import { jsonLineSink, logRequest } from "./steps/logger.js";
import { pipeline } from "./steps/pipeline.js";
import { publicEndpoints } from "./steps/public-endpoints.js";
import { type RateLimiter, rateLimit } from "./steps/rate-limit.js";
import { requestIdOf } from "./steps/request-id.js";
import { notFound, route } from "./steps/route.js";
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
   * Host names (without port) the proxy answers to; others get 403. Set it for an unauthenticated
   * loopback proxy: it stops a web page from reaching it through DNS rebinding.
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * The proxy: Cloud Deploy's JobRun REST surface over any JobRunService, behind auth, scopes, limits
 * and caching. It is a plain Hono app (`app.fetch`), for Node, Workers, or `app.request()` in tests.
 *
 * Every request gets its id, then goes through the steps listed below in order until one answers,
 * then gets its log line. Whatever a step throws becomes a google.rpc.Status answer.
 */
export function createProxy(options: ProxyOptions): Hono<ProxyEnv> {
  const sink = options.log === false ? undefined : (options.log ?? jsonLineSink);
  // A step that is not configured is left out, so it costs nothing per request.
  const serve = pipeline([
    ...(options.allowedHosts === undefined ? [] : [hostGuard(options.allowedHosts)]),
    cors(options.cors ?? { origins: [] }), // answers a preflight; adds CORS headers for an allowed origin
    publicEndpoints(openApiDocument()), // /healthz and /openapi.json, before auth
    auth(options.auth),
    ...(options.rateLimit === undefined ? [] : [rateLimit(options.rateLimit)]),
    route(), // 404, 405, malformed resource name
    // Authorization (role, scopes), the body limit, the backend call, ETags and the edge cache.
    rpc({
      backend: options.backend,
      forwarder: rawForwarderOf(options.backend),
      cache: options.cache,
      memo: new EncodedRunMemo(),
      timeoutMs: options.timeoutMs,
      cancelOnDisconnect: options.cancelOnDisconnect ?? true,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }),
  ]);

  const app = new Hono<ProxyEnv>();
  app.all("*", async (c) => {
    const start = sink === undefined ? 0 : performance.now();
    // First the request id (the caller's, when harmless), echoed in every answer and the log line.
    const id = requestIdOf(header(c, "x-request-id"));
    const state: RequestState = {
      id,
      headers: { "x-request-id": id, vary: "Origin" },
      fields: {},
      caller: undefined,
      route: undefined,
      prettyPrint: true,
      errorFormat: "2",
    };
    let response: Response;
    try {
      response = await serve(c, state);
    } catch (error) {
      response = failed(error, state);
    }
    // Last the log line, whichever step answered.
    if (sink !== undefined) logRequest(sink, state, c.req.method, c.req.path, response.status, start);
    return response;
  });
  // Not reached (the one handler answers everything); kept so nothing ever falls through to Hono's
  // plain-text defaults.
  app.notFound((c) => errorResponse(notFound(c.req.path)));
  app.onError((error) => errorResponse(toApiError(error)));
  return app;
}

/** The google.rpc.Status answer to anything thrown while serving; our own faults are logged with their cause. */
function failed(error: unknown, state: RequestState): Response {
  const apiError = toApiError(error);
  state.fields.error = apiError.code;
  // Our own faults are logged with their cause's message (never the stack to the caller).
  if (apiError.code === "INTERNAL" && apiError.cause instanceof Error)
    state.fields.cause = apiError.cause.message;
  return errorResponse(apiError, state.headers, state);
}
