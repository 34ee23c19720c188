// The in-memory JobRunService. Every method does its work synchronously inside one call (no await
// between reading and writing a run), so concurrent calls are serialised by the event loop: of two
// concurrent terminates, the first moves the run to TERMINATING and the second sees that state.
//
// Time-based transitions (a termination completing, the demo moving) are events on a timeline, and
// every entry point first catches up to the clock (time/driver.ts): the state is a function of the
// clock, not of timers having fired, so it is right in Workers too, where timers die with the request.

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  ApiError,
  badRequest,
  type CallOptions,
  type Clock,
  callOptionsError,
  encodeJson,
  type GetJobRunRequestInit,
  type ImmediateAnswers,
  isApiError,
  type JobRun,
  JobRun_State,
  type JobRunJson,
  JobRunSchema,
  type JobRunService,
  type JobRunWatchService,
  type ListJobRunsRequestInit,
  type ListJobRunsResponse,
  ListJobRunsResponseSchema,
  MAX_PAGE_SIZE,
  type MethodName,
  parseDeployPolicyName,
  parseJobRunName,
  parseRolloutName,
  type ReadMethodName,
  type RequestInitOf,
  type ResponseOf,
  resourceInfo,
  stateName,
  systemClock,
  type TerminateJobRunRequestInit,
  type TerminateJobRunResponse,
  TerminateJobRunResponseSchema,
  type WatchJobRunsRequestInit,
  type WatchJobRunsResponse,
  type WatchOptions,
} from "@jobrun/core";
import type { EmulatorChange, EmulatorListener } from "./change.js";
import { createDemo, type DemoOptions } from "./demo/demo.js";
import { DemoTicker } from "./demo/ticker.js";
import { etagFor, uidFromName } from "./etag.js";
import { compileFilter } from "./filter/evaluate.js";
import { decodeImportDocument } from "./import/import-document.js";
import { ListAnswers, listKeyOf } from "./list-answers.js";
import { parseOrderBy } from "./order-by.js";
import { PageTokenCodec, randomTokenSecret } from "./page-token.js";
import { JobRunStore } from "./store/job-run-store.js";
import { TimeDriver } from "./time/driver.js";
import type { TimelineEvent } from "./time/timeline.js";
import { watchJobRuns } from "./watch.js";

/** ListJobRuns page size when the request gives none (AIP-158; Cloud Deploy's documented default). */
export const DEFAULT_PAGE_SIZE = 50;
/** How long a terminated run stays TERMINATING by default. */
export const DEFAULT_TERMINATE_DELAY_MS = 2000;

export interface EmulatorOptions {
  /** The source of time and timers; default the system clock. Inject a manual clock in tests. */
  readonly clock?: Clock;
  /** Seed of the demo world's random choices: the same seed and clock give the same world. Default 1. */
  readonly seed?: number;
  /**
   * Seed a live demo world (pipelines, releases, rollouts and their job runs; `start()` keeps it moving).
   * Default: true, unless `jobRuns` is given.
   */
  readonly demo?: boolean | DemoOptions;
  /** An import document `{"jobRuns":[…]}` in proto3 JSON, loaded at creation (all or nothing). */
  readonly jobRuns?: unknown;
  /** How long a terminated run stays TERMINATING before it becomes TERMINATED. Default 2000 ms. */
  readonly terminateDelayMs?: number;
  /**
   * The key page tokens are signed with. Default: random per emulator, so tokens do not survive a
   * restart; give a fixed secret to share tokens across instances or restarts.
   */
  readonly pageTokenSecret?: string | Uint8Array;
  /**
   * Whether to arm a clock timer for the next due transition. Default true. Either way every call first
   * catches up to `clock.now()`, so results never depend on timers; timers only let `subscribe`
   * listeners hear of changes without a call. Set false where timers do not outlive a request
   * (Cloudflare Workers) or to run purely clock-driven.
   */
  readonly timers?: boolean;
}

/**
 * Work a mutating call waits for after its change is made and before it answers (see
 * `Emulator.addCommitHook`): persistence resolves it once the change is on disk.
 */
export type CommitHook = () => Promise<void>;

/** The message of a mutating call whose commit hook failed. */
export const CHANGE_NOT_SAVED =
  "the change was made but could not be saved, so it may be lost if the server restarts; read the job run to see its state";

/**
 * The in-memory JobRunService, plus import/export, the demo's ticking, change notifications and the
 * live watch (JobRunWatchService, fed by those notifications: see watch.ts). Its reads are also
 * answered at once (ImmediateAnswers: get and list; a terminate waits for its commit hooks).
 */
export interface Emulator extends JobRunService, JobRunWatchService, ImmediateAnswers {
  /**
   * Loads `{"jobRuns":[…]}`; runs with known names are replaced. Imported runs keep their states, except
   * that a TERMINATING run finishes (TERMINATED) terminateDelayMs after the import, as if terminated
   * then. All or nothing: INVALID_ARGUMENT names `jobRuns[i].field`.
   */
  importJobRuns(document: unknown): void;
  /** Every run as proto3 JSON, in name order; re-importable. */
  exportJobRuns(): { jobRuns: JobRunJson[] };
  /** How many runs are stored. */
  readonly size: number;
  /**
   * Starts the demo's ticking from now (no-op without a demo, or when already started). Ticks are
   * applied by the clock: at the next call, or by a timer when `timers` is on.
   */
  start(): void;
  /**
   * Stops the demo's ticking and settles pending terminations at once (TERMINATED), so no timer of the
   * emulator is left behind. The service keeps answering; a later terminate schedules a new one.
   */
  stop(): void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: EmulatorListener): () => void;
  /**
   * Adds a hook that every mutating call (terminateJobRun) awaits after its change is made and before
   * it answers, so an answer is never sent before the hook says the change is kept (persistEmulator
   * registers one that resolves once the change is on disk). If a hook rejects, the call fails with
   * UNAVAILABLE (reason CHANGE_NOT_SAVED, domain jobrun-emulator): the change stays made in memory, as
   * other callers may have seen it already, and is kept by the hook's next success. Returns the remover.
   */
  addCommitHook(hook: CommitHook): () => void;
}

/** Creates an emulator. See EmulatorOptions for the defaults. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return new InMemoryJobRunService(options);
}

class InMemoryJobRunService implements Emulator {
  private readonly store = new JobRunStore();
  private readonly clock: Clock;
  private readonly terminateDelayMs: number;
  private readonly tokens: PageTokenCodec;
  private readonly listeners = new Set<EmulatorListener>();
  private readonly commitHooks = new Set<CommitHook>();
  private readonly time: TimeDriver;
  /** The completion events of runs in TERMINATING, by name. */
  private readonly pendingTerminations = new Map<string, TimelineEvent>();
  private readonly ticker: DemoTicker | undefined;
  /** Counts every change to the store: answers made under one revision hold until the next. */
  private revision = 0;
  private readonly listed = new ListAnswers();

  constructor(options: EmulatorOptions) {
    this.clock = options.clock ?? systemClock;
    const delay = options.terminateDelayMs ?? DEFAULT_TERMINATE_DELAY_MS;
    if (!Number.isFinite(delay) || delay < 0) {
      throw new ApiError("INVALID_ARGUMENT", `terminateDelayMs must be a non-negative number, got ${delay}`);
    }
    this.terminateDelayMs = delay;
    this.tokens = new PageTokenCodec(options.pageTokenSecret ?? randomTokenSecret);
    this.time = new TimeDriver(this.clock, options.timers ?? true);
    if (options.jobRuns !== undefined) this.importJobRuns(options.jobRuns);
    const demo = options.demo ?? options.jobRuns === undefined;
    if (demo !== false) {
      const world = createDemo(
        {
          // The demo reads the store directly: it runs inside a catch-up and must not start another.
          get: (name) => this.store.get(name)?.message,
          write: (run) => this.write(run),
        },
        { seed: options.seed ?? 1, ...(typeof demo === "object" ? demo : {}) },
        this.clock.now(),
      );
      this.ticker = new DemoTicker(world, this.time);
    }
  }

  get size(): number {
    this.time.catchUp();
    return this.store.size;
  }

  getJobRun(request: GetJobRunRequestInit, options?: CallOptions): Promise<JobRun> {
    return this.call(options, () => this.reads.getJobRun(request));
  }

  listJobRuns(request: ListJobRunsRequestInit, options?: CallOptions): Promise<ListJobRunsResponse> {
    return this.call(options, () => this.reads.listJobRuns(request));
  }

  answerNow<M extends MethodName>(method: M, request: RequestInitOf<M>): ResponseOf<M> | undefined {
    const reads: { readonly [N in MethodName]?: (request: RequestInitOf<N>) => ResponseOf<N> } = this.reads;
    const read = reads[method] as ((request: RequestInitOf<M>) => ResponseOf<M>) | undefined;
    if (read === undefined) return undefined; // a change: it answers once its commit hooks are done
    this.time.catchUp();
    return read(request);
  }

  /** The methods that change nothing, as the synchronous work behind both their entry points. */
  private readonly reads: {
    readonly [M in ReadMethodName]: (request: RequestInitOf<M>) => ResponseOf<M>;
  } = {
    getJobRun: (request) => this.find(String(request.name ?? ""), "name").message,
    listJobRuns: (request) => {
      const key = listKeyOf(request);
      const known = this.listed.get(key, this.revision);
      if (known !== undefined) return known;
      const parent = request.parent ?? "";
      if (parent === "") throw fieldError("parent", "parent is required: the Rollout whose job runs to list");
      const parentParts = parseRolloutName(parent, { wildcards: true, field: "parent" });
      const pageSize = pageSizeOf(request.pageSize);
      const filter = request.filter ?? "";
      const orderBy = request.orderBy ?? "";
      const predicate = compileFilter(filter);
      const order = parseOrderBy(orderBy);
      const binding = { parent, filter, orderBy };
      const pageToken = request.pageToken ?? "";
      const after = pageToken === "" ? undefined : this.tokens.decode(pageToken, binding, order);
      const page = this.store.page({ parent: parentParts, order, predicate, after, pageSize });
      const answer = create(ListJobRunsResponseSchema, {
        jobRuns: page.runs.map((run) => run.message),
        nextPageToken: page.nextAfter === undefined ? "" : this.tokens.encode(binding, page.nextAfter),
      });
      return this.listed.set(key, this.revision, answer);
    },
  };

  terminateJobRun(
    request: TerminateJobRunRequestInit,
    options?: CallOptions,
  ): Promise<TerminateJobRunResponse> {
    return this.call(
      options,
      () => {
        const name = String(request.name ?? "");
        parseJobRunName(name);
        // Validate the whole request before changing anything.
        (request.overrideDeployPolicy ?? []).forEach((policy, index) => {
          const field = `overrideDeployPolicy[${index}]`;
          try {
            parseDeployPolicyName(policy, { field });
          } catch (error) {
            if (isApiError(error)) throw fieldError(field, `${field}: ${error.message}`);
            throw error;
          }
        });
        const run = this.find(name, "name").message;
        if (run.state !== JobRun_State.IN_PROGRESS) {
          throw new ApiError(
            "FAILED_PRECONDITION",
            `job run ${name} is ${stateName(run.state)}; only an IN_PROGRESS job run can be terminated`,
            {
              details: [resourceInfo(name, `state is ${stateName(run.state)}`)],
              reason: "JOB_RUN_NOT_TERMINABLE",
              metadata: { resource: name, state: stateName(run.state) },
            },
          );
        }
        this.write({ ...run, state: JobRun_State.TERMINATING });
        const nowMs = this.clock.now();
        this.scheduleTermination(name, nowMs);
        this.ticker?.noteExternalChange(nowMs);
        return create(TerminateJobRunResponseSchema, {});
      },
      true,
    );
  }

  importJobRuns(document: unknown): void {
    const nowMs = this.time.catchUp();
    const runs = decodeImportDocument(document);
    const prepared = runs.map((run) => {
      const revision = ++this.revision;
      return create(JobRunSchema, {
        ...run,
        uid: run.uid === "" ? uidFromName(run.name) : run.uid,
        etag: run.etag === "" ? etagFor(run.name, revision) : run.etag,
      });
    });
    for (const run of prepared) this.cancelTermination(run.name);
    this.store.putMany(prepared);
    // A run stored mid-termination (a data file written while it was TERMINATING, or a fixture) has
    // no pending finish of its own: it gets a fresh one, terminateDelayMs from now, as if terminated
    // at the import. Without it the run would stay TERMINATING for good, and refuse a new terminate.
    for (const run of prepared) {
      if (run.state === JobRun_State.TERMINATING) this.scheduleTermination(run.name, nowMs);
    }
    // An import may replace a run the demo is driving; its next tick must look.
    this.ticker?.noteExternalChange(nowMs);
    this.emit({ type: "imported", count: prepared.length });
  }

  exportJobRuns(): { jobRuns: JobRunJson[] } {
    this.time.catchUp();
    return { jobRuns: this.store.all().map((run) => encodeJson(JobRunSchema, run.message) as JobRunJson) };
  }

  start(): void {
    const nowMs = this.time.catchUp();
    this.ticker?.start(nowMs);
  }

  stop(): void {
    const nowMs = this.time.catchUp();
    this.ticker?.stop();
    for (const name of [...this.pendingTerminations.keys()]) this.finishTermination(name, nowMs);
  }

  subscribe(listener: EmulatorListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  watchJobRuns(
    request: WatchJobRunsRequestInit,
    options?: WatchOptions,
  ): AsyncIterable<WatchJobRunsResponse> {
    return watchJobRuns(this, request, options);
  }

  addCommitHook(hook: CommitHook): () => void {
    // Wrapped, so the same function added twice is two hooks, each removed by its own remover.
    const entry: CommitHook = () => hook();
    this.commitHooks.add(entry);
    return () => {
      this.commitHooks.delete(entry);
    };
  }

  /**
   * Runs a call's synchronous work under its CallOptions: CANCELLED/DEADLINE_EXCEEDED as every backend.
   * A mutating call then waits for the commit hooks before it answers.
   */
  private async call<T>(options: CallOptions | undefined, work: () => T, mutates = false): Promise<T> {
    // The work is synchronous, so nothing can abort it once it starts: checking the options up front
    // is all a signal or a deadline can mean here, and it spares an AbortController per call. Once the
    // change is made, the wait for the commit is not abortable either: the change is not undone.
    const refused = options === undefined ? undefined : callOptionsError(options);
    if (refused !== undefined) throw refused;
    this.time.catchUp();
    const result = work();
    if (mutates && this.commitHooks.size > 0) await this.commit();
    return result;
  }

  private async commit(): Promise<void> {
    try {
      await Promise.all([...this.commitHooks].map((hook) => hook()));
    } catch (cause) {
      throw new ApiError("UNAVAILABLE", CHANGE_NOT_SAVED, {
        cause,
        reason: "CHANGE_NOT_SAVED",
        domain: "jobrun-emulator",
      });
    }
  }

  private find(name: string, field: string) {
    const run = this.store.get(name);
    // Every stored name was validated on the way in, so only a miss needs parsing: it tells a
    // malformed name (INVALID_ARGUMENT) from an unknown one (NOT_FOUND).
    if (run !== undefined) return run;
    parseJobRunName(name, { field });
    throw new ApiError("NOT_FOUND", `job run ${name} not found`, {
      details: [resourceInfo(name)],
      reason: "JOB_RUN_NOT_FOUND",
    });
  }

  /** Stores a new version of a run with a fresh etag and tells the listeners. */
  private write(run: JobRun): JobRun {
    const next = create(JobRunSchema, { ...run, etag: etagFor(run.name, ++this.revision) });
    const { stored, previous } = this.store.put(next);
    this.emit(
      previous === undefined
        ? { type: "created", jobRun: stored.message }
        : { type: "updated", jobRun: stored.message, previous: previous.message },
    );
    return stored.message;
  }

  private scheduleTermination(name: string, nowMs: number): void {
    this.cancelTermination(name);
    const event = this.time.schedule(nowMs + this.terminateDelayMs, (atMs) =>
      this.finishTermination(name, atMs),
    );
    this.pendingTerminations.set(name, event);
  }

  private cancelTermination(name: string): void {
    const event = this.pendingTerminations.get(name);
    if (event === undefined) return;
    this.time.cancel(event);
    this.pendingTerminations.delete(name);
  }

  /** TERMINATING → TERMINATED with endTime `atMs`: when it was due, however late it is applied. */
  private finishTermination(name: string, atMs: number): void {
    this.cancelTermination(name);
    const run = this.store.get(name)?.message;
    if (run === undefined || run.state !== JobRun_State.TERMINATING) return;
    this.write({ ...run, state: JobRun_State.TERMINATED, endTime: timestampFromMs(atMs) });
  }

  private emit(change: EmulatorChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A failing listener must not undo or block a change that has already happened.
        console.error("@jobrun/emulator: a change listener threw", error);
      }
    }
  }
}

function pageSizeOf(pageSize: number | undefined): number {
  const size = pageSize ?? 0;
  if (!Number.isInteger(size)) throw fieldError("pageSize", `pageSize must be an integer, got ${size}`);
  if (size < 0) throw fieldError("pageSize", `pageSize must not be negative, got ${size}`);
  if (size === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}

function fieldError(field: string, message: string): ApiError {
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest(field, message)],
    reason: "INVALID_REQUEST_FIELD",
  });
}
