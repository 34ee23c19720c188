import { immediateAnswersOf, type JobRunService, rawForwarderOf } from "@jobrun/core";
import { type Context, Hono } from "hono";
import { LinearRouter } from "hono/router/linear-router";
import type { ResponseCache } from "./cache.js";
import { answerShapeOf, errorResponse, toApiError } from "./errors.js";
import { monotonicNow } from "./monotonic.js";
import { isNodeServer } from "./node-server-adapter.js";
import { openApiDocument } from "./openapi.js";
import { header, NO_QUERY_MARK, queryOf, rawPathOf } from "./request-info.js";
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
import { RunJsonMemo } from "./steps/run-json.js";
import type { LogSink, ProxyEnv, RequestState } from "./types.js";
import { WatchHub } from "./watch/hub.js";
import { type PubsubPushOptions, pubsubPush } from "./watch/pubsub-push.js";
import { watchSourceOf } from "./watch/source.js";
import { watchStep } from "./watch/step.js";

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
  /**
   * The live watch (`GET …/jobRuns:watch`, Server-Sent Events): a WatchHub with its source and
   * limits, or false for none (501). Default: the backend's own watch when it has one (the
   * emulator), with the default limits; none otherwise. Anything that opens streams as a hub does
   * will do: the Worker forwards them to a Durable Object per (parent, filter).
   */
  readonly watch?: Pick<WatchHub, "open"> | false;
  /**
   * `POST /pubsub/push`: Cloud Deploy's Pub/Sub notifications (a push subscription with an OIDC
   * token of this audience) prompt the google-mode watch to poll at once. Default off (404).
   */
  readonly pubsub?: PubsubPushOptions;
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
    // POST /pubsub/push: Pub/Sub holds no caller key; its push carries its own OIDC token.
    ...(options.pubsub === undefined ? [] : [pubsubPush(options.pubsub)]),
    auth(options.auth),
    ...(options.rateLimit === undefined ? [] : [rateLimit(options.rateLimit)]),
    // GET …/jobRuns:watch: authorized as a list, then answered with an event stream.
    watchStep(watchHubOf(options)),
    route(), // 404, 405, malformed resource name
    // Authorization (role, scopes), the body limit, the backend call, ETags and the edge cache.
    rpc({
      backend: options.backend,
      forwarder: rawForwarderOf(options.backend),
      immediate: immediateAnswersOf(options.backend),
      cache: options.cache,
      memo: new EncodedRunMemo(),
      runJson: new RunJsonMemo(),
      timeoutMs: options.timeoutMs,
      cancelOnDisconnect: options.cancelOnDisconnect ?? true,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }),
  ]);

  // One route takes every request (the steps route it): Hono's LinearRouter matches it in half the
  // time of the default SmartRouter's regular expression, and is built at once. The path Hono
  // routes by, and hands on as `c.req.path`, is the raw one the route step validates, read without
  // a second pass over the URL.
  const app = new Hono<ProxyEnv>({
    router: new LinearRouter(),
    getPath: (request, options) => rawPathOf(request, options?.env),
  });
  // Synchronous whenever the steps answer synchronously (a finished run from an in-memory backend,
  // a refusal): see pipeline().
  app.all("*", (c) => {
    const start = sink === undefined ? 0 : monotonicNow();
    // First the request id (the caller's, when harmless), echoed in every answer and the log line.
    const id = requestIdOf(header(c, "x-request-id"));
    const head = c.req.method === "HEAD";
    const state: RequestState = {
      id,
      // HEAD is served as GET, and its body dropped below (RFC 9110 §9.3.2).
      method: head ? "GET" : c.req.method,
      headers: { "x-request-id": id, vary: "Origin" },
      fields: {},
      caller: undefined,
      route: undefined,
      prettyPrint: true,
      errorFormat: "2",
    };
    let answer: Response | Promise<Response>;
    try {
      answer = serve(c, state);
    } catch (error) {
      answer = failed(error, state, queryOf(c));
    }
    if (answer instanceof Promise) {
      return answer.then(
        (response) => finish(c, state, start, response),
        (error: unknown) => finish(c, state, start, failed(error, state, queryOf(c))),
      );
    }
    return finish(c, state, start, answer);
  });
  /** Drops a HEAD's body, then writes the log line, whichever step answered. */
  const finish = (
    c: Context<ProxyEnv>,
    state: RequestState,
    start: number,
    response: Response,
  ): Response | Promise<Response> => {
    if (c.req.method === "HEAD") {
      return withoutBody(response, isNodeServer(c.env)).then((bodiless) => logged(c, state, start, bodiless));
    }
    return logged(c, state, start, response);
  };
  const logged = (c: Context<ProxyEnv>, state: RequestState, start: number, response: Response): Response => {
    if (sink !== undefined) logRequest(sink, state, c.req.method, c.req.path, response.status, start);
    return response;
  };
  // Not reached (the one handler answers everything); kept so nothing ever falls through to Hono's
  // plain-text defaults.
  app.notFound((c) => errorResponse(notFound(c.req.path)));
  app.onError((error) => errorResponse(toApiError(error)));
  return app;
}

function watchHubOf(options: ProxyOptions): Pick<WatchHub, "open"> | undefined {
  if (options.watch !== undefined) return options.watch === false ? undefined : options.watch;
  const source = watchSourceOf(options.backend);
  return source === undefined ? undefined : new WatchHub({ source });
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
function failed(error: unknown, state: RequestState, query: URLSearchParams): Response {
  const apiError = toApiError(error);
  state.fields.error = apiError.code;
  // A server-side failure is logged with its cause's message: our own faults, and what the google
  // backend kept from the caller (callerSafeError). Never the stack, and never to the caller. (A
  // client error's cause may quote the caller's body, which the log never holds.)
  if (apiError.httpStatus >= 500 && apiError.cause instanceof Error)
    state.fields.cause = causeChain(apiError);
  // Before the RPC read the system parameters (state still has the defaults), the query is read
  // leniently for them, so an unknown path or a refused caller answers in the shape asked for too.
  const shape = state.systemParametersRead || query === NO_QUERY_MARK ? state : answerShapeOf(query);
  return errorResponse(apiError, state.headers, shape);
}

/** The messages of an error's causes, outermost first (an error may be wrapped more than once). */
function causeChain(error: Error): string {
  const messages: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth += 1) {
    messages.push(cause.message);
    cause = cause.cause;
  }
  return messages.join(" <- ");
}
