// The google backend's watch. Google has no watch of its own, so each watched (parent, filter) is one
// loop that lists every page of it through the google backend (the proxy's credentials) once per
// interval and diffs the listing by name and etag. The hub opens one watch per (parent, filter)
// however many callers watch it, so N watchers of one parent cost one upstream listing per interval;
// the loop exists only while its watch does (the hub aborts it when the last watcher leaves).
//
// A Pub/Sub push (pubsub-push.ts) prompts the loops whose parent a changed run could be under to
// poll at once instead of at their next interval. A failure ends the watch with Google's error (its
// watchers are told it as an `event: error`, and reconnect); the (parent, filter) then cools down,
// doubling from one interval (at least 1 s) to `maxBackoffMs` while it keeps failing, and a watch opened meanwhile
// is refused with the same error without asking Google again, so reconnecting watchers never spin.

import {
  ApiError,
  AsyncQueue,
  type Clock,
  decodeJson,
  type JobRun,
  JobRunSchema,
  type JobRunService,
  listAllJobRuns,
  MAX_PAGE_SIZE,
  type RawForwarder,
  sameJobRunVersion,
  systemClock,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  watchResponse,
} from "@jobrun/core";
import { toApiError } from "../errors.js";
import { keepRawJson } from "./raw-runs.js";
import type { WatchSource } from "./source.js";

const { EXISTING, SYNCED, ADDED, CHANGED, REMOVED } = WatchJobRunsResponse_Type;

export interface GooglePollerOptions {
  /**
   * The google backend (or any JobRunService): its raw forwarding of ListJobRuns when it has it (the
   * google backend does), so events carry Google's JSON as get and list do; else its listJobRuns.
   */
  readonly backend: Pick<JobRunService, "listJobRuns"> & Partial<RawForwarder>;
  /** Time between the starts of two listings of one (parent, filter). Default 2 s. */
  readonly intervalMs?: number;
  /** The longest a failing (parent, filter) waits before Google is asked again. Default 60 s. */
  readonly maxBackoffMs?: number;
  /**
   * The poll timer. Default the system clock; a Durable Object passes one backed by its alarm, so
   * the object wakes for the next poll.
   */
  readonly clock?: Clock;
}

export const DEFAULT_WATCH_INTERVAL_MS = 2_000;
const DEFAULT_MAX_BACKOFF_MS = 60_000;
/** The shortest cooldown, whatever the interval: a failing Google is not asked again within a second. */
const MIN_BACKOFF_MS = 1_000;
/** Failing (parent, filter)s remembered at once; the oldest is forgotten past this. */
const MAX_COOLDOWNS = 10_000;

/** What a (parent, filter) that failed is refused with, until when. */
interface Cooldown {
  readonly error: unknown;
  readonly failures: number;
  readonly until: number;
}

export class GooglePoller implements WatchSource {
  private readonly loops = new Set<PollLoop>();
  private readonly cooldowns = new Map<string, Cooldown>();
  readonly clock: Clock;
  readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  /** Listings started so far (for the proxy's stats and tests). */
  listings = 0;

  constructor(private readonly options: GooglePollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    this.maxBackoffMs = Math.max(this.intervalMs, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be above 0, got ${this.intervalMs}`);
  }

  /** The (parent, filter)s being polled now. */
  get watched(): number {
    return this.loops.size;
  }

  watch(parent: string, filter: string, signal: AbortSignal): AsyncIterable<WatchJobRunsResponse> {
    const key = `${parent}\n${filter}`;
    let loop: PollLoop | undefined;
    const queue = new AsyncQueue<WatchJobRunsResponse>(() => {
      if (loop !== undefined) this.stop(loop);
    });
    const cooldown = this.cooldowns.get(key);
    if (cooldown !== undefined && cooldown.until > this.clock.now()) {
      queue.end(cooldown.error);
      return queue;
    }
    if (signal.aborted) {
      queue.end();
      return queue;
    }
    loop = new PollLoop(this, parent, filter, queue);
    this.loops.add(loop);
    signal.addEventListener("abort", () => queue.end(), { once: true });
    loop.poll();
    return queue;
  }

  /**
   * Polls at once every watched (parent, filter) whose parent `matches` (a run changed that could be
   * under it). Returns how many were prompted; none costs no upstream call.
   */
  prompt(matches: (parent: string) => boolean): number {
    let prompted = 0;
    for (const loop of this.loops) {
      if (!matches(loop.parent)) continue;
      loop.poll();
      prompted += 1;
    }
    return prompted;
  }

  /** Lists every run of one (parent, filter). */
  async list(parent: string, filter: string, signal: AbortSignal): Promise<JobRun[]> {
    this.listings += 1;
    const runs: JobRun[] = [];
    const { backend } = this.options;
    if (backend.forwardRaw !== undefined) {
      let pageToken = "";
      do {
        const page = await listRawPage(backend as RawForwarder, { parent, filter, pageToken }, signal);
        runs.push(...page.runs);
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return runs;
    }
    const request = { parent, filter, pageSize: MAX_PAGE_SIZE };
    for await (const run of listAllJobRuns(backend, request, { signal })) runs.push(run);
    return runs;
  }

  succeeded(loop: PollLoop): void {
    this.cooldowns.delete(loop.key);
  }

  /** A listing failed: the loop ends with the error, and its (parent, filter) cools down. */
  failed(loop: PollLoop, error: unknown): void {
    const now = this.clock.now();
    const previous = this.cooldowns.get(loop.key);
    // Failures in a row: a cooldown that ran out long ago (twice the longest wait) starts over.
    const failures =
      previous !== undefined && now - previous.until < 2 * this.maxBackoffMs ? previous.failures + 1 : 1;
    const waitMs = Math.min(
      this.maxBackoffMs,
      Math.max(MIN_BACKOFF_MS, this.intervalMs) * 2 ** (failures - 1),
    );
    this.cooldowns.delete(loop.key);
    if (this.cooldowns.size >= MAX_COOLDOWNS) {
      const oldest = this.cooldowns.keys().next().value;
      if (oldest !== undefined) this.cooldowns.delete(oldest);
    }
    this.cooldowns.set(loop.key, { error: toApiError(error), failures, until: now + waitMs });
    this.stop(loop);
    loop.queue.end(toApiError(error));
  }

  private stop(loop: PollLoop): void {
    loop.stop();
    this.loops.delete(loop);
  }
}

const utf8 = new TextDecoder();

/**
 * One page of ListJobRuns as Google sent it: each run decoded (newer fields and enum values skipped)
 * for diffing, with its JSON object kept for the events. Google's error answer is thrown as an
 * ApiError, as listJobRuns would.
 */
async function listRawPage(
  backend: RawForwarder,
  request: { parent: string; filter: string; pageToken: string },
  signal: AbortSignal,
): Promise<{ runs: JobRun[]; nextPageToken: string }> {
  const answer = await backend.forwardRaw("listJobRuns", { ...request, pageSize: MAX_PAGE_SIZE }, { signal });
  const text = utf8.decode(answer.body);
  if (answer.status < 200 || answer.status > 299) throw ApiError.fromResponseText(text, answer.status);
  let page: { jobRuns?: unknown; nextPageToken?: unknown };
  try {
    page = JSON.parse(text) as typeof page;
  } catch (cause) {
    throw new ApiError("UNAVAILABLE", "Google's list of job runs was not JSON", { cause });
  }
  const runs: JobRun[] = [];
  const jobRuns = Array.isArray(page.jobRuns) ? page.jobRuns : [];
  for (const [i, json] of jobRuns.entries()) {
    const run = decodeJson(JobRunSchema, json, { ignoreUnknownFields: true, path: `jobRuns[${i}]` });
    keepRawJson(run, json as Record<string, unknown>);
    runs.push(run);
  }
  return { runs, nextPageToken: typeof page.nextPageToken === "string" ? page.nextPageToken : "" };
}

/** One (parent, filter) being polled. */
class PollLoop {
  readonly key: string;
  /** The runs as last listed; undefined until the first listing (the initial state). */
  private known: Map<string, JobRun> | undefined;
  private readonly abort = new AbortController();
  private polling = false;
  /** A prompt came while a listing was under way: that listing may predate the change. */
  private again = false;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly poller: GooglePoller,
    readonly parent: string,
    readonly filter: string,
    readonly queue: AsyncQueue<WatchJobRunsResponse>,
  ) {
    this.key = `${parent}\n${filter}`;
  }

  /** Lists now (or right after the listing under way), then again every interval. */
  poll(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    void this.run();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.clearTimer();
  }

  private async run(): Promise<void> {
    const clock = this.poller.clock;
    this.polling = true;
    this.clearTimer();
    const startedAt = clock.now();
    let runs: JobRun[];
    try {
      runs = await this.poller.list(this.parent, this.filter, this.abort.signal);
    } catch (error) {
      this.polling = false;
      if (!this.stopped) this.poller.failed(this, error);
      return;
    }
    this.polling = false;
    if (this.stopped) return;
    this.poller.succeeded(this);
    this.publish(runs);
    if (this.again) {
      this.again = false;
      void this.run();
      return;
    }
    // The next listing an interval after this one began: the rate stays one per interval.
    const delay = Math.max(0, startedAt + this.poller.intervalMs - clock.now());
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.poll();
    }, delay);
  }

  /** The first listing as the initial state; every later one as its difference from the one before. */
  private publish(runs: readonly JobRun[]): void {
    const current = new Map<string, JobRun>();
    for (const run of runs) current.set(run.name, run);
    if (this.known === undefined) {
      this.known = current;
      for (const run of current.values()) this.queue.push(watchResponse(EXISTING, run));
      this.queue.push(watchResponse(SYNCED));
      return;
    }
    const before = this.known;
    this.known = current;
    for (const [name, run] of current) {
      const was = before.get(name);
      if (was === undefined) this.queue.push(watchResponse(ADDED, run));
      else if (!sameJobRunVersion(was, run)) this.queue.push(watchResponse(CHANGED, run));
    }
    for (const [name, run] of before) if (!current.has(name)) this.queue.push(watchResponse(REMOVED, run));
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.poller.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
