import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import {
  ApiError,
  buildHttpRequest,
  type CallOptions,
  callSignal,
  type EnumEncoding,
  type GetJobRunRequestInit,
  type JobRun,
  JobRunSchema,
  type JobRunService,
  type ListJobRunsRequestInit,
  type ListJobRunsResponse,
  ListJobRunsResponseSchema,
  listAllJobRuns,
  type RpcName,
  routingHeader,
  type TerminateJobRunRequestInit,
  type TerminateJobRunResponse,
  TerminateJobRunResponseSchema,
} from "@jobrun/core";
import type { AuthProvider } from "./auth/auth-provider.js";
import { type Clock, systemClock } from "./clock.js";
import { decodeResponse } from "./decode/response-decoder.js";
import { DEFAULT_ENDPOINT, normalizeEndpoint } from "./endpoint.js";
import { type RetryOptions, retryPolicyFrom, withRetries } from "./retry.js";
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchFunction, type HttpCall, sendHttpCall } from "./transport.js";
import { CLIENT_VERSION } from "./version.js";

export interface JobRunsClientOptions {
  /** Base URL of the REST surface: Google's (the default), or a jobrun proxy. A path prefix is kept. */
  readonly endpoint?: string;
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
  /** Ask for enums as numbers (`$alt=json;enum-encoding=int`), as Google's generated clients do. */
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
}

/** A JobRunService over HTTP, with a lazy iterator over every page of a listing. */
export interface JobRunsClient extends JobRunService {
  /** Every JobRun of a listing; pages are fetched as the loop reaches them, and no more once it breaks. */
  listAllJobRuns(request: ListJobRunsRequestInit, options?: CallOptions): AsyncIterable<JobRun>;
  /** The endpoint in use, normalized. */
  readonly endpoint: string;
}

/**
 * Creates a client of the Cloud Deploy JobRun REST surface. It uses nothing but fetch and WebCrypto,
 * so it runs on Node, Workers, Deno, Bun and browsers.
 */
export function createJobRunsClient(options: JobRunsClientOptions = {}): JobRunsClient {
  const endpoint = normalizeEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const policy = retryPolicyFrom(options.retry);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const userAgent = [options.userAgent, `jobrun-client/${CLIENT_VERSION}`].filter(Boolean).join(" ");
  const encoding = options.enumEncoding === undefined ? {} : { enumEncoding: options.enumEncoding };
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `maxResponseBytes must be a whole number of bytes above 0, got ${maxResponseBytes}`,
    );
  }

  async function call<Desc extends DescMessage>(
    rpc: RpcName,
    request: GetJobRunRequestInit | ListJobRunsRequestInit | TerminateJobRunRequestInit,
    responseSchema: Desc,
    callOptions: CallOptions,
  ): Promise<MessageShape<Desc>> {
    const parts = buildHttpRequest(rpc, request as never, encoding);
    const resourceName = parts.params.name ?? parts.params.parent ?? "";
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-goog-api-client": `jobrun-client/${CLIENT_VERSION}`,
      "x-goog-request-params": routingHeader(parts.params),
    };
    if (parts.body !== undefined) headers["content-type"] = "application/json";
    const httpCall: HttpCall = {
      method: parts.method,
      url: `${endpoint}${parts.path}${parts.query === "" ? "" : `?${parts.query}`}`,
      headers,
      body: parts.body,
      rpc,
      resourceName,
      maxResponseBytes,
    };
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const overall = callSignal({
      ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    try {
      const text = await withRetries((signal) => attempt(httpCall, signal), {
        policy,
        clock,
        random,
        signal: overall.signal,
        // Terminating twice is not terminating once: Google's policy never retries it.
        idempotent: rpc !== "TerminateJobRun",
      });
      return decodeResponse(responseSchema, text, `${rpc} ${resourceName}`);
    } finally {
      overall.dispose();
    }
  }

  async function attempt(httpCall: HttpCall, signal: AbortSignal): Promise<string> {
    const now = () => clock.now();
    const auth = options.auth;
    if (auth === undefined) return sendHttpCall(fetchFunction, httpCall, signal, now);
    const sendWith = (token: string) =>
      sendHttpCall(
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

  const client: JobRunsClient = {
    endpoint,
    getJobRun: (request, callOptions = {}) => call("GetJobRun", request, JobRunSchema, callOptions),
    listJobRuns: (request, callOptions = {}): Promise<ListJobRunsResponse> =>
      call("ListJobRuns", request, ListJobRunsResponseSchema, callOptions),
    terminateJobRun: (request, callOptions = {}): Promise<TerminateJobRunResponse> =>
      call("TerminateJobRun", request, TerminateJobRunResponseSchema, callOptions),
    listAllJobRuns: (request, callOptions = {}) => listAllJobRuns(client, request, callOptions),
  };
  return client;
}
