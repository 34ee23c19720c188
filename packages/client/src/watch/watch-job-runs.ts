// watchJobRuns over HTTP: the jobrun proxy's event stream (`GET …/jobRuns:watch`, Server-Sent
// Events read through fetch streaming, so it runs wherever fetch does), reconnecting with
// Last-Event-ID and backoff; and, against an endpoint without a watch (Google's own), a listing
// polled every few seconds. Both feed one WatchedRuns, so the consumer's loop is the same.

import { fromJson } from "@bufbuild/protobuf";
import {
  ApiError,
  buildHttpRequest,
  type CallOptions,
  type Clock,
  type CodeName,
  type EnumEncoding,
  isApiError,
  type JobRun,
  type ListJobRunsRequestInit,
  routingHeader,
  sleep,
  type WatchJobRunsRequestInit,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  WatchJobRunsResponseSchema,
  type WatchOptions,
} from "@jobrun/core";
import type { AuthProvider } from "../auth/auth-provider.js";
import type { FetchFunction } from "../transport.js";
import { createSseParser, type SseEvent } from "./sse-parser.js";
import { WatchedRuns } from "./watched-runs.js";

/** How a watch is getting its changes: an event stream, or a listing polled every `pollIntervalMs`. */
export type WatchMode = "live" | "polling";

export interface WatchJobRunsOptions extends WatchOptions {
  /**
   * How often the listing is polled against an endpoint without a watch (Google's own). Default the
   * client's `pollIntervalMs`, else 3,000 ms.
   */
  readonly pollIntervalMs?: number;
  /** Told which way the watch gets its changes, once known and whenever that changes. */
  readonly onMode?: (mode: WatchMode) => void;
}

/** The default interval of the polling fallback. */
export const DEFAULT_POLL_INTERVAL_MS = 3_000;
/**
 * A stream that has sent nothing (not even the 15 s heartbeat) for this long is taken for a dead
 * connection, and reopened.
 */
export const STALL_TIMEOUT_MS = 45_000;
/** The longest wait between reconnects. */
const MAX_RECONNECT_DELAY_MS = 30_000;
/** Failed tries before the first initial state arrives after which the watch gives up. */
const MAX_FAILURES_BEFORE_SYNC = 3;
/** The largest error answer read while opening a stream. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** What the client gives a watch: how to reach the endpoint, and its listing for the fallback. */
export interface WatchTransport {
  readonly endpoint: string;
  readonly fetch: FetchFunction;
  /** Sent with every request (user agent, API client, quota project). */
  readonly headers: Readonly<Record<string, string>>;
  readonly auth: AuthProvider | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly enumEncoding: EnumEncoding;
  readonly pollIntervalMs: number;
  readonly listAll: (request: ListJobRunsRequestInit, options: CallOptions) => AsyncIterable<JobRun>;
}

/** What one connection came to. */
type StreamOutcome =
  /** The endpoint has no watch: poll instead. */
  | { readonly kind: "unsupported" }
  /** The server ended the stream (its lifetime, a restart): reconnect at once. */
  | { readonly kind: "ended" }
  /** It failed in a way worth another try: after a backoff (at least `delayMs`, when the server said). */
  | { readonly kind: "retry"; readonly error: unknown; readonly delayMs?: number };

/**
 * Watches the runs under `request.parent` that match `request.filter`: each run (EXISTING), one
 * SYNCED, then ADDED / CHANGED / REMOVED, across reconnects and whichever way the endpoint serves
 * it. Returns when `options.signal` aborts; throws an ApiError the endpoint gave that another try
 * would not change (a bad filter, a parent outside the caller's scopes).
 */
export async function* watchJobRuns(
  transport: WatchTransport,
  request: WatchJobRunsRequestInit,
  options: WatchJobRunsOptions = {},
): AsyncGenerator<WatchJobRunsResponse, void, undefined> {
  const { signal } = options;
  const runs = new WatchedRuns();
  const state: StreamState = { lastEventId: "", retryMs: 2_000 };
  let mode: WatchMode | undefined;
  const enter = (next: WatchMode) => {
    if (mode === next) return;
    mode = next;
    options.onMode?.(next);
  };
  const pollIntervalMs = options.pollIntervalMs ?? transport.pollIntervalMs;
  if (!(pollIntervalMs > 0)) {
    throw new ApiError("INVALID_ARGUMENT", `pollIntervalMs must be above 0, got ${pollIntervalMs}`);
  }
  let failures = 0;
  try {
    for (;;) {
      if (signal?.aborted) return;
      const outcome = yield* streamOnce(transport, request, runs, state, signal, () => {
        failures = 0;
        enter("live");
      });
      if (signal?.aborted) return;
      if (outcome.kind === "unsupported") {
        enter("polling");
        yield* poll(transport, request, runs, pollIntervalMs, signal);
        return;
      }
      if (outcome.kind === "ended") {
        // Whoever ended it wants it back (a lifetime, a restart): soon, but never in a tight loop.
        await sleep(transport.clock, 100 + transport.random() * 400, signal);
        continue;
      }
      failures += 1;
      // A refusal another try would not change is the answer; so is trouble that keeps the first
      // initial state from ever arriving (a caller at its limit of streams, an endpoint that is down).
      if (!isTransient(outcome.error)) throw outcome.error;
      if (
        !runs.isSynced &&
        (failures >= MAX_FAILURES_BEFORE_SYNC || isCode(outcome.error, "RESOURCE_EXHAUSTED"))
      ) {
        throw outcome.error;
      }
      const ceiling = Math.min(MAX_RECONNECT_DELAY_MS, state.retryMs * 2 ** (failures - 1));
      const delay = Math.max(outcome.delayMs ?? 0, ceiling * (0.5 + transport.random() / 2));
      await sleep(transport.clock, delay, signal);
    }
  } catch (error) {
    if (signal?.aborted) return;
    throw error;
  }
}

/** What outlives one connection. */
interface StreamState {
  lastEventId: string;
  /** The server's `retry:`, the base of the backoff. */
  retryMs: number;
  /** The token was refreshed after a 401 once already: a second 401 is the answer. */
  refreshedToken?: boolean;
}

/** One connection: its changes are yielded as they come; returns what it came to. */
async function* streamOnce(
  transport: WatchTransport,
  request: WatchJobRunsRequestInit,
  runs: WatchedRuns,
  state: StreamState,
  signal: AbortSignal | undefined,
  onLive: () => void,
): AsyncGenerator<WatchJobRunsResponse, StreamOutcome, undefined> {
  const parts = buildHttpRequest("WatchJobRuns", request, { enumEncoding: transport.enumEncoding });
  const url = `${transport.endpoint}${parts.path}${parts.query === "" ? "" : `?${parts.query}`}`;
  const connection = new AbortController();
  const onAbort = () => connection.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let stall: unknown;
  const clock = transport.clock;
  const alive = () => {
    if (stall !== undefined) clock.clearTimeout(stall);
    stall = clock.setTimeout(() => connection.abort(new Error("stalled")), STALL_TIMEOUT_MS);
  };
  try {
    const headers: Record<string, string> = {
      ...transport.headers,
      accept: "text/event-stream",
      "x-goog-request-params": routingHeader(parts.params),
    };
    if (state.lastEventId !== "") headers["last-event-id"] = state.lastEventId;
    let token: string | undefined;
    if (transport.auth !== undefined) {
      try {
        token = await transport.auth.getAccessToken({ signal: connection.signal });
      } catch (error) {
        return { kind: "retry", error };
      }
      headers.authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await transport.fetch(url, {
        method: "GET",
        headers,
        redirect: "manual",
        signal: connection.signal,
      });
    } catch (error) {
      return { kind: "retry", error: unreachable(url, error) };
    }
    if (response.status === 404 || response.status === 405 || response.status === 501) {
      response.body?.cancel().catch(() => {});
      return { kind: "unsupported" };
    }
    if (!response.ok) {
      const error = ApiError.fromResponseText(await boundedText(response), response.status);
      if (error.code === "UNIMPLEMENTED") return { kind: "unsupported" };
      if (
        response.status === 401 &&
        token !== undefined &&
        transport.auth?.invalidate !== undefined &&
        !state.refreshedToken
      ) {
        // A token the cache still trusted was refused: refresh it once, and try again at once.
        transport.auth.invalidate(token);
        state.refreshedToken = true;
        return { kind: "retry", error, delayMs: 0 };
      }
      const retryAfter = Number(response.headers.get("retry-after"));
      return {
        kind: "retry",
        error,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { delayMs: retryAfter * 1000 } : {}),
      };
    }
    if (
      !(response.headers.get("content-type") ?? "").startsWith("text/event-stream") ||
      response.body === null
    ) {
      // A 200 that is not a stream: an endpoint that does not know this method (and maps it to
      // something else). Polling is what works there.
      response.body?.cancel().catch(() => {});
      return { kind: "unsupported" };
    }
    state.refreshedToken = false;
    alive();
    const events: SseEvent[] = [];
    const parser = createSseParser(
      {
        onEvent: (event) => events.push(event),
        onRetry: (ms) => {
          state.retryMs = Math.min(MAX_RECONNECT_DELAY_MS, Math.max(100, ms));
        },
        onActivity: alive,
      },
      state.lastEventId,
    );
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    /** The runs of an initial state the server is sending (after EXISTING, until SYNCED). */
    let initial: Map<string, JobRun> | undefined;
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          return { kind: "retry", error: unreachable(url, error) };
        }
        if (chunk.done) return { kind: "ended" };
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        while (events.length > 0) {
          const event = events.shift() as SseEvent;
          if (event.event === "error") return { kind: "retry", error: streamError(event.data) };
          if (event.event !== "message") continue;
          const response = readResponse(event.data);
          // A stream of events we cannot read is no watch we can serve the caller from.
          if (response === undefined)
            return { kind: "retry", error: new ApiError("UNKNOWN", `unreadable watch event from ${url}`) };
          state.lastEventId = event.lastEventId;
          const run = response.jobRun;
          switch (response.type) {
            case WatchJobRunsResponse_Type.EXISTING:
              if (run === undefined) break;
              initial ??= new Map();
              initial.set(run.name, run);
              break;
            case WatchJobRunsResponse_Type.SYNCED:
              onLive();
              yield* runs.replace((initial ?? new Map<string, JobRun>()).values());
              initial = undefined;
              break;
            case WatchJobRunsResponse_Type.ADDED:
            case WatchJobRunsResponse_Type.CHANGED:
            case WatchJobRunsResponse_Type.REMOVED:
              if (run === undefined) break;
              // A resumed stream starts with changes: it is live from its first one.
              onLive();
              yield* runs.change(response.type, run);
              break;
            default:
              break;
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  } finally {
    if (stall !== undefined) clock.clearTimeout(stall);
    signal?.removeEventListener("abort", onAbort);
    connection.abort();
  }
}

/** The fallback: the whole listing every `intervalMs`, diffed against what the consumer knows. */
async function* poll(
  transport: WatchTransport,
  request: WatchJobRunsRequestInit,
  runs: WatchedRuns,
  intervalMs: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<WatchJobRunsResponse, void, undefined> {
  const listRequest: ListJobRunsRequestInit = {
    parent: request.parent ?? "",
    filter: request.filter ?? "",
    pageSize: 1000,
  };
  for (;;) {
    try {
      const listed: JobRun[] = [];
      for await (const run of transport.listAll(listRequest, signal === undefined ? {} : { signal }))
        listed.push(run);
      yield* runs.replace(listed);
    } catch (error) {
      if (signal?.aborted || !isTransient(error)) throw error;
      // The client's own retries gave up on a passing trouble: the next round tries again.
    }
    await sleep(transport.clock, intervalMs, signal);
  }
}

/** Codes a later try may well not get. */
const TRANSIENT: ReadonlySet<CodeName> = new Set([
  "UNAVAILABLE",
  "RESOURCE_EXHAUSTED",
  "DEADLINE_EXCEEDED",
  "ABORTED",
  "INTERNAL",
  "UNKNOWN",
]);

function isTransient(error: unknown): boolean {
  return isApiError(error) && TRANSIENT.has(error.code);
}

function isCode(error: unknown, code: CodeName): boolean {
  return isApiError(error) && error.code === code;
}

/** The `event: error` the server ends a stream with: a google.rpc.Status, as its other answers. */
function streamError(data: string): ApiError {
  let status = 500;
  try {
    const code = (JSON.parse(data) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === "number") status = code;
  } catch {}
  return ApiError.fromResponseText(data, status);
}

function readResponse(data: string): WatchJobRunsResponse | undefined {
  try {
    return fromJson(WatchJobRunsResponseSchema, JSON.parse(data), { ignoreUnknownFields: true });
  } catch {
    return undefined;
  }
}

function unreachable(url: string, cause: unknown): ApiError {
  return new ApiError("UNAVAILABLE", `WatchJobRuns: the connection to ${new URL(url).origin} failed`, {
    cause,
  });
}

/** An error answer's text, at most MAX_ERROR_BODY_BYTES of it. */
async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_ERROR_BODY_BYTES) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  return text;
}
