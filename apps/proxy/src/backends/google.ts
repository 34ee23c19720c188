import {
  type AuthProvider,
  createJobRunsClient,
  type FetchFunction,
  type RetryOptions,
} from "@jobrun/client";
import type { JobRunService, RawForwarder } from "@jobrun/core";
import { callerSafeError, watchCredentials } from "./caller-safe-errors.js";

/**
 * Google's Cloud Deploy endpoint. A constant on purpose: no configuration, header or request can
 * point the proxy's credentials at another origin.
 */
export const GOOGLE_UPSTREAM = "https://clouddeploy.googleapis.com";

export interface GoogleBackendOptions {
  /** The proxy's own credentials (a service-account key provider, ADC, the metadata server). */
  readonly auth: AuthProvider;
  /** Per-call budget, retries included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries of get and list (terminate is never retried). Default Google's policy, shortened to the budget. */
  readonly retry?: RetryOptions;
  /**
   * The fetch used to reach Google. Tests pass one that routes GOOGLE_UPSTREAM to a loopback fake;
   * the URL it is called with is always GOOGLE_UPSTREAM's.
   */
  readonly fetch?: FetchFunction;
  /** The largest answer read from Google, in bytes; a larger one fails unretried. Default 32 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * A @jobrun/client pointed at Google. It builds every upstream request itself from the route table,
 * with its own headers: nothing of the caller's request (Authorization, cookies, X-Forwarded-*,
 * X-Goog-*) can reach Google, because none of it is ever handed to the client.
 * Its failures are told to callers without the proxy's own secrets and setup (callerSafeError).
 */
export function createGoogleBackend(options: GoogleBackendOptions): JobRunService & RawForwarder {
  const credentials = watchCredentials(options.auth);
  const client = createJobRunsClient({
    endpoint: GOOGLE_UPSTREAM,
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
  const safe = (error: unknown) => Promise.reject(callerSafeError(error, credentials));
  return {
    getJobRun: (request, callOptions) => client.getJobRun(request, callOptions).catch(safe),
    listJobRuns: (request, callOptions) => client.listJobRuns(request, callOptions).catch(safe),
    terminateJobRun: (request, callOptions) => client.terminateJobRun(request, callOptions).catch(safe),
    forwardRaw: (method, request, forwardOptions) =>
      client.forwardRaw(method, request, forwardOptions).catch(safe),
  };
}
