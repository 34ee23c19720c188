import {
  ApiError,
  buildHttpRequest,
  type CallOptions,
  type Clock,
  callSignal,
  type EnumEncoding,
  type ForwardOptions,
  type JobRun,
  type JobRunService,
  type JobRunWatchService,
  type ListJobRunsRequestInit,
  listAllJobRuns,
  type MethodName,
  type RawAnswer,
  type RawForwarder,
  type RequestInitOf,
  type ResponseOf,
  type Route,
  routes,
  routeTable,
  routingHeader,
  systemClock,
  type WatchJobRunsRequestInit,
  type WatchJobRunsResponse,
} from "@jobrun/core";
import type { AuthProvider } from "./auth/auth-provider.js";
import { decodeResponse } from "./decode/response-decoder.js";
import { endpointForUniverse, normalizeEndpoint } from "./endpoint.js";
import { checkQuotaProject, QUOTA_PROJECT_HEADER } from "./quota-project.js";
import { type RetryOptions, retryPolicyFrom, withRetries } from "./retry.js";
import {
  answerOf,
  DEFAULT_MAX_RESPONSE_BYTES,
  exchangeHttpCall,
  type FetchFunction,
  type HttpAnswer,
  type HttpCall,
} from "./transport.js";
import { resolveUniverseDomain } from "./universe.js";
import { CLIENT_VERSION } from "./version.js";
import { DEFAULT_POLL_INTERVAL_MS, type WatchJobRunsOptions, watchJobRuns } from "./watch/watch-job-runs.js";

export interface JobRunsClientOptions {
  /**
   * Base URL of the REST surface: Google's (the default, `https://clouddeploy.<universeDomain>`), or
   * a jobrun proxy. A path prefix is kept.
   */
  readonly endpoint?: string;
  /**
   * The Google Cloud universe: default the credentials' (`auth.universeDomain`, which fromEnvironment
   * takes from GOOGLE_CLOUD_UNIVERSE_DOMAIN or the credentials file), else "googleapis.com". It sets
   * the default endpoint; one that differs from the credentials' universe is refused.
   */
  readonly universeDomain?: string;
  /**
   * The project billed for the calls' quota, sent as `x-goog-user-project`. Default the credentials'
   * (`auth.quotaProject`: the file's quota_project_id, or GOOGLE_CLOUD_QUOTA_PROJECT through
   * fromEnvironment); none when neither says.
   */
  readonly quotaProject?: string;
  /** The fetch to use; default the global one. */
  readonly fetch?: FetchFunction;
  /** Where access tokens come from. Without it no Authorization header is sent (a local proxy). */
  readonly auth?: AuthProvider;
  /** Retry policy of get and list (terminate is never retried). Default Google's; `false` turns it off. */
  readonly retry?: RetryOptions;
  /** Default overall timeout of each call, retries included; a call's own `timeoutMs` wins. */
  readonly timeoutMs?: number;
  /** Prepended to the user agent, to name your application: "my-tool/1.2". */
  readonly userAgent?: string;
  /**
   * How enums travel. Default "int": the client asks for numbers (`$alt=json;enum-encoding=int`), as
   * Google's generated clients do, so a value newer than this schema arrives as its number and is
   * kept (`stateName` shows it as `STATE_7`). A name this schema does not know cannot be kept: with
   * "name", such a field decodes as its `*_UNSPECIFIED` default.
   */
  readonly enumEncoding?: EnumEncoding;
  /** The clock of retries and waits; tests inject one. */
  readonly clock?: Clock;
  /** The jitter source, a number in [0, 1); tests inject one. */
  readonly random?: () => number;
  /**
   * The largest response body the client reads, in bytes; a larger answer fails with UNKNOWN and
   * is not retried. Default 32 MiB (a page of 1,000 job runs is a few MiB).
   */
  readonly maxResponseBytes?: number;
  /**
   * How often watchJobRuns polls the listing against an endpoint without a watch (Google's own).
   * Default 3,000 ms.
   */
  readonly pollIntervalMs?: number;
}

/**
 * A JobRunService over HTTP, with a lazy iterator over every page of a listing, and raw forwarding
 * (a proxy's way to hand the server's answer on unchanged).
 */
export interface JobRunsClient extends JobRunService, JobRunWatchService, RawForwarder {
  /** Every JobRun of a listing; pages are fetched as the loop reaches them, and no more once it breaks. */
  listAllJobRuns(request: ListJobRunsRequestInit, options?: CallOptions): AsyncIterable<JobRun>;
  /**
   * The runs under a parent as they change: EXISTING for each, one SYNCED, then ADDED / CHANGED /
   * REMOVED. Live from a jobrun proxy's event stream (resumed with Last-Event-ID after a dropped
   * connection); against an endpoint without a watch (Google's own), by polling the listing every
   * `pollIntervalMs`, diffed by name and etag. The loop is the same either way; `onMode` says which.
   */
  watchJobRuns(
    request: WatchJobRunsRequestInit,
    options?: WatchJobRunsOptions,
  ): AsyncIterable<WatchJobRunsResponse>;
  /** The endpoint in use, normalized. */
  readonly endpoint: string;
}

/**
 * Creates a client of the Cloud Deploy JobRun REST surface. It uses nothing but fetch and WebCrypto,
 * so it runs on Node, Workers, Deno, Bun and browsers.
 */
export function createJobRunsClient(options: JobRunsClientOptions = {}): JobRunsClient {
  const universeDomain = resolveUniverseDomain(options.universeDomain, options.auth?.universeDomain);
  const endpoint = normalizeEndpoint(options.endpoint ?? endpointForUniverse(universeDomain));
  const quotaProject =
    options.quotaProject !== undefined
      ? checkQuotaProject(options.quotaProject, "quotaProject")
      : options.auth?.quotaProject === undefined
        ? undefined
        : checkQuotaProject(options.auth.quotaProject, "the credentials' quota project");
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const policy = retryPolicyFrom(options.retry);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const userAgent = [options.userAgent, `jobrun-client/${CLIENT_VERSION}`].filter(Boolean).join(" ");
  const encoding = { enumEncoding: options.enumEncoding ?? "int" } as const;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `maxResponseBytes must be a whole number of bytes above 0, got ${maxResponseBytes}`,
    );
  }

  /** One call of any method: everything it needs is in its route (binding, schemas, policy). */
  async function call<M extends MethodName>(
    route: Route<M>,
    request: RequestInitOf<M>,
    callOptions: CallOptions,
  ): Promise<ResponseOf<M>> {
    const httpCall = httpCallOf(route, request, encoding, []);
    const answer = await exchange(route, httpCall, callOptions);
    return decodeResponse(route.output, utf8.decode(answer.body), `${route.rpc} ${httpCall.resourceName}`);
  }

  function httpCallOf<M extends MethodName>(
    route: Route<M>,
    request: RequestInitOf<M>,
    buildOptions: { enumEncoding?: EnumEncoding },
    extraQuery: readonly (readonly [string, string])[],
  ): HttpCall {
    const { rpc } = route;
    const parts = buildHttpRequest(rpc, request, buildOptions);
    const resourceName = parts.params[route.policy.resource.field] ?? "";
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-goog-api-client": `jobrun-client/${CLIENT_VERSION}`,
      "x-goog-request-params": routingHeader(parts.params),
    };
    if (parts.body !== undefined) headers["content-type"] = "application/json";
    if (quotaProject !== undefined) headers[QUOTA_PROJECT_HEADER] = quotaProject;
    const query = new URLSearchParams(parts.query);
    for (const [name, value] of extraQuery) query.append(name, value);
    const queryText = query.toString();
    return {
      method: parts.method,
      url: `${endpoint}${parts.path}${queryText === "" ? "" : `?${queryText}`}`,
      headers,
      body: parts.body,
      rpc,
      resourceName,
      maxResponseBytes,
    };
  }

  /** One call with its retries and budget: the 2xx answer as received, or the last failure. */
  async function exchange(route: Route, httpCall: HttpCall, callOptions: CallOptions): Promise<HttpAnswer> {
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const overall = callSignal({
      ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    try {
      return await withRetries((signal) => attempt(httpCall, signal), {
        policy,
        clock,
        random,
        signal: overall.signal,
        // Terminating twice is not terminating once: only the policy's idempotent methods retry.
        idempotent: route.policy.idempotent,
      });
    } finally {
      overall.dispose();
    }
  }

  async function forwardRaw<M extends MethodName>(
    method: M,
    request: RequestInitOf<M>,
    forwardOptions: ForwardOptions = {},
  ): Promise<RawAnswer> {
    const route: Route<M> = routeTable[method];
    // The caller's system parameters go upstream as given ($alt included): nothing of the client's own.
    const httpCall = httpCallOf(
      route,
      request,
      { enumEncoding: "name" },
      forwardOptions.systemParameters ?? [],
    );
    if (
      forwardOptions.systemParameters?.some(
        ([name, value]) => /^\$?alt$/.test(name) && /^proto\b/i.test(value),
      )
    ) {
      (httpCall.headers as Record<string, string>).accept = "application/x-protobuf";
    }
    try {
      return rawAnswer(await exchange(route, httpCall, forwardOptions));
    } catch (error) {
      const answer = error instanceof ApiError ? answerOf(error) : undefined;
      // A 401 is Google refusing the client's own credentials: not an answer about the caller's request.
      if (answer === undefined || answer.status === 401 || !isStatusBody(answer)) throw error;
      return rawAnswer(answer);
    }
  }

  async function attempt(httpCall: HttpCall, signal: AbortSignal): Promise<HttpAnswer> {
    const now = () => clock.now();
    const auth = options.auth;
    if (auth === undefined) return exchangeHttpCall(fetchFunction, httpCall, signal, now);
    const sendWith = (token: string) =>
      exchangeHttpCall(
        fetchFunction,
        { ...httpCall, headers: { ...httpCall.headers, authorization: `Bearer ${token}` } },
        signal,
        now,
      );
    const token = await auth.getAccessToken({ signal });
    try {
      return await sendWith(token);
    } catch (error) {
      // The server refused a token the cache still trusted (revoked, or expired early): refresh once
      // and resend. Safe even for terminate: a 401 means the request was not acted on.
      if (!(error instanceof ApiError) || error.httpStatus !== 401 || auth.invalidate === undefined)
        throw error;
      auth.invalidate(token);
      return sendWith(await auth.getAccessToken({ signal }));
    }
  }

  const watchTransport = {
    endpoint,
    fetch: fetchFunction,
    headers: {
      "user-agent": userAgent,
      "x-goog-api-client": `jobrun-client/${CLIENT_VERSION}`,
      ...(quotaProject === undefined ? {} : { [QUOTA_PROJECT_HEADER]: quotaProject }),
    },
    auth: options.auth,
    clock,
    random,
    enumEncoding: encoding.enumEncoding,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    listAll: (request: ListJobRunsRequestInit, callOptions: CallOptions) =>
      listAllJobRuns(client, request, callOptions),
  };
  const client: JobRunsClient = {
    ...serviceOver(call),
    endpoint,
    listAllJobRuns: (request, callOptions = {}) => listAllJobRuns(client, request, callOptions),
    watchJobRuns: (request, watchOptions = {}) => watchJobRuns(watchTransport, request, watchOptions),
    forwardRaw,
  };
  return client;
}

/** A call of any method over its route. */
type RouteCall = <M extends MethodName>(
  route: Route<M>,
  request: RequestInitOf<M>,
  options: CallOptions,
) => Promise<ResponseOf<M>>;

/**
 * One JobRunService method per route of core's table, which is read from the same descriptor the
 * JobRunService type is mapped from: a method added to the proto is a method of the client, never
 * a property that compiles and is undefined at run time.
 */
function serviceOver(call: RouteCall): JobRunService {
  const service: Partial<Record<MethodName, unknown>> = {};
  for (const route of routes) {
    service[route.methodName] = (request: RequestInitOf<MethodName>, options: CallOptions = {}) =>
      call(route, request, options);
  }
  return service as JobRunService;
}

const utf8 = new TextDecoder();

function rawAnswer(answer: HttpAnswer): RawAnswer {
  const retryAfter = answer.headers.get("retry-after");
  return {
    status: answer.status,
    contentType: answer.headers.get("content-type") ?? "application/json",
    body: answer.body,
    ...(retryAfter === null ? {} : { retryAfter }),
  };
}

/** Whether an error answer is a JSON google.rpc.Status (`{"error":{…}}`), which can be handed on as it is. */
function isStatusBody(answer: HttpAnswer): boolean {
  if (!/\bjson\b/i.test(answer.headers.get("content-type") ?? "")) return false;
  try {
    const body = JSON.parse(utf8.decode(answer.body)) as { error?: unknown } | null;
    return typeof body?.error === "object" && body.error !== null && !Array.isArray(body.error);
  } catch {
    return false;
  }
}
