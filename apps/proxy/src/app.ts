import { ApiError, type JobRunService, matchRoute } from "@jobrun/core";
import { Hono } from "hono";
import type { ResponseCache } from "./cache.js";
import { errorResponse, toApiError } from "./errors.js";
import { type AuthOptions, authenticate } from "./middleware/auth.js";
import { DEFAULT_MAX_BODY_BYTES } from "./middleware/body-limit.js";
import { type CorsOptions, cors } from "./middleware/cors.js";
import { EncodedRunMemo } from "./middleware/etag.js";
import { jsonLineSink, logger } from "./middleware/logger.js";
import { type RateLimiter, rateLimit } from "./middleware/rate-limit.js";
import { requestId } from "./middleware/request-id.js";
import { openApiDocument } from "./openapi.js";
import { handleRpc } from "./rpc.js";
import type { LogSink, ProxyEnv } from "./types.js";

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

/** A path the route table does not know and no method of it serves. */
const notFound = (path: string) =>
  new ApiError(
    "NOT_FOUND",
    `no such REST method: ${JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path)}`,
  );

/**
 * The proxy: Cloud Deploy's JobRun REST surface over any JobRunService, behind auth, scopes, limits
 * and caching. It is a plain Hono app (`app.fetch`), for Node, Workers, or `app.request()` in tests.
 */
export function createProxy(options: ProxyOptions): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();
  const rpc = {
    backend: options.backend,
    cache: options.cache,
    memo: new EncodedRunMemo(),
    timeoutMs: options.timeoutMs,
    cancelOnDisconnect: options.cancelOnDisconnect ?? true,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const openapi = JSON.stringify(openApiDocument());

  app.use(requestId());
  if (options.log !== false) app.use(logger(options.log ?? jsonLineSink));
  if (options.allowedHosts !== undefined) {
    const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
    app.use(async (c, next) => {
      if (!hosts.has(new URL(c.req.url).hostname.toLowerCase())) {
        const error = new ApiError("PERMISSION_DENIED", "this proxy does not answer to that Host");
        return errorResponse(error, c.get("responseHeaders"));
      }
      return next();
    });
  }
  app.use(cors(options.cors ?? { origins: [] }));

  const json = { "content-type": "application/json; charset=utf-8" };
  app.get("/healthz", (c) => c.body('{"status":"ok"}', 200, { ...c.get("responseHeaders"), ...json }));
  app.get("/openapi.json", (c) => c.body(openapi, 200, { ...c.get("responseHeaders"), ...json }));

  app.use(authenticate(options.auth));
  if (options.rateLimit !== undefined) app.use(rateLimit(options.rateLimit));

  app.all("*", async (c) => {
    const path = rawPath(c.req.url, c.env);
    const match = matchRoute(c.req.method, path);
    if (match.kind === "not-found") throw notFound(path);
    if (match.kind === "method-not-allowed") {
      const error = new ApiError(
        "UNIMPLEMENTED",
        `method ${c.req.method} is not allowed here; use ${match.allow.join(", ")}`,
        {
          httpStatus: 405,
        },
      );
      return errorResponse(error, { ...c.get("responseHeaders"), allow: match.allow.join(", ") });
    }
    return handleRpc(c, match, rpc);
  });

  app.notFound((c) => errorResponse(notFound(c.req.path), c.get("responseHeaders")));
  app.onError((error, c) => {
    const apiError = toApiError(error);
    const fields = c.get("logFields");
    if (fields !== undefined) {
      fields.error = apiError.code;
      // Our own faults are logged with their cause's message (never the stack to the caller).
      if (apiError.code === "INTERNAL" && apiError.cause instanceof Error)
        fields.cause = apiError.cause.message;
    }
    return errorResponse(apiError, c.get("responseHeaders"));
  });
  return app;
}

/**
 * The path as the caller sent it, still percent-encoded. The WHATWG URL parser behind `Request.url`
 * resolves dot segments (also `%2e%2e`), which would hide them from validation; on Node the raw
 * request line is at hand, so dot segments are refused instead of silently resolved.
 */
function rawPath(url: string, env: unknown): string {
  const incoming = (env as { incoming?: { url?: unknown } } | undefined)?.incoming?.url;
  if (typeof incoming === "string" && incoming.startsWith("/")) {
    const q = incoming.indexOf("?");
    return q < 0 ? incoming : incoming.slice(0, q);
  }
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}
