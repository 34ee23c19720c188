import {
  type AuthProvider,
  createJobRunsClient,
  type FetchFunction,
  type JobRunsClient,
  type RetryOptions,
} from "@jobrun/client";
import {
  type CallOptions,
  isLoopback,
  type JobRunService,
  listAllJobRuns,
  type MethodName,
  routes,
} from "@jobrun/core";
import { callerSafeError, watchCredentials } from "./caller-safe-errors.js";

/**
 * Google's Cloud Deploy endpoint, the default upstream. Only configuration (`--upstream`, the
 * `UPSTREAM` Worker variable) can point the proxy's credentials elsewhere; no header or request can.
 */
export const GOOGLE_UPSTREAM = "https://clouddeploy.googleapis.com";

export interface GoogleBackendOptions {
  /** The proxy's own credentials (a service-account key provider, ADC, the metadata server). */
  readonly auth: AuthProvider;
  /**
   * Where Google's REST surface is: a private or regional endpoint (Private Service Connect, a VPC-SC
   * gateway), or a fake in tests. https, or http on loopback only (checked by `parseUpstream`).
   * Default Cloud Deploy in the credentials' universe: GOOGLE_UPSTREAM, or `https://clouddeploy.<universe>`
   * for credentials of another universe (their `universeDomain`).
   */
  readonly upstream?: string;
  /** Per-call budget, retries included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries of get and list (terminate is never retried). Default Google's policy, shortened to the budget. */
  readonly retry?: RetryOptions;
  /** The fetch used to reach the upstream. Default the global one. */
  readonly fetch?: FetchFunction;
  /** The largest answer read from Google, in bytes; a larger one fails unretried. Default 32 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * Checks an upstream URL: https (the proxy's credentials travel with every request), or http only
 * to a loopback host (a local fake or a sidecar on the same machine). The origin and a path prefix
 * are kept; a query, a fragment or user info is refused. Throws an Error that says what is wrong.
 */
export function parseUpstream(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `upstream ${JSON.stringify(text)} is not an absolute URL such as https://clouddeploy.googleapis.com`,
    );
  }
  const shown = JSON.stringify(`${url.protocol}//${url.host}${url.pathname}`);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new Error(
      `upstream ${shown} must use https: the proxy's Google credentials go with every request (http is allowed on loopback only)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`upstream ${shown} must be an https URL`);
  if (url.username !== "" || url.password !== "")
    throw new Error(`upstream ${shown} must not carry user info`);
  if (url.search !== "" || url.hash !== "")
    throw new Error(`upstream ${shown} must not have a query or a fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * A @jobrun/client pointed at Google. It builds every upstream request itself from the route table,
 * with its own headers: nothing of the caller's request (Authorization, cookies, X-Forwarded-*,
 * X-Goog-*) can reach Google, because none of it is ever handed to the client. The proxy uses its
 * raw forwarding, so Google's answers reach callers unchanged in content.
 */
/**
 * The google backend: a JobRunsClient without its own watch (a client's watch of Google polls on its
 * own; the proxy's google-mode watch is a poller shared by every watcher of a parent).
 */
export type GoogleBackend = Omit<JobRunsClient, "watchJobRuns">;

export function createGoogleBackend(options: GoogleBackendOptions): GoogleBackend {
  const credentials = watchCredentials(options.auth);
  const client = createJobRunsClient({
    // Without an upstream, the client's default: Cloud Deploy in the credentials' universe
    // (https://clouddeploy.googleapis.com, or clouddeploy.<universe_domain> of a sovereign cloud's key).
    ...(options.upstream === undefined ? {} : { endpoint: parseUpstream(options.upstream) }),
    auth: credentials.auth,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: options.retry ?? {
      attemptTimeoutMs: 10_000,
      initialDelayMs: 200,
      maxDelayMs: 2_000,
      maxAttempts: 4,
    },
    userAgent: "jobrun-proxy",
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
  });
  // Every failure is told to callers without the proxy's own secrets and setup (callerSafeError).
  const safe = (error: unknown) => Promise.reject(callerSafeError(error, credentials));
  // One wrapper per method of core's route table (read from the schema): a method added to the proto
  // is served here too, never a property that compiles and is missing at run time.
  const methods: Partial<Record<MethodName, unknown>> = {};
  for (const { methodName } of routes) {
    const call = client[methodName] as (request: unknown, callOptions?: CallOptions) => Promise<unknown>;
    methods[methodName] = (request: unknown, callOptions?: CallOptions) =>
      call(request, callOptions).catch(safe);
  }
  const backend: GoogleBackend = {
    ...(methods as JobRunService),
    endpoint: client.endpoint,
    forwardRaw: (method, request, forwardOptions) =>
      client.forwardRaw(method, request, forwardOptions).catch(safe),
    listAllJobRuns: (request, callOptions) => listAllJobRuns(backend, request, callOptions),
  };
  return backend;
}
