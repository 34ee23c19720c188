// The emulator's live watch: WatchJobRuns fed by its own change feed, with no polling. A watch reads
// the current runs through listJobRuns (so a bad parent or filter fails exactly as a list does), then
// follows `subscribe`: every created or updated run is checked against the parent and the filter and
// becomes ADDED, CHANGED or REMOVED for this watcher. A change the feed cannot describe run by run (an
// import) makes the watch read the runs again and send the difference.

import { create } from "@bufbuild/protobuf";
import {
  AsyncQueue,
  isJobRunInParent,
  type JobRun,
  type JobRunService,
  MAX_PAGE_SIZE,
  parseJobRunName,
  parseRolloutName,
  type RolloutNameParts,
  type WatchJobRunsRequestInit,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  WatchJobRunsResponseSchema,
  type WatchOptions,
} from "@jobrun/core";
import type { EmulatorChange, EmulatorListener } from "./change.js";
import { compileFilter, type JobRunPredicate } from "./filter/evaluate.js";

/** What a watch needs of an emulator: its list and its change feed. */
export interface ChangeFeed {
  readonly listJobRuns: JobRunService["listJobRuns"];
  subscribe(listener: EmulatorListener): () => void;
}

/**
 * Watches the runs under `request.parent` (AIP-159 `-` wildcards as in list) that match
 * `request.filter` (AIP-160): an EXISTING response per run, one SYNCED, then ADDED / CHANGED /
 * REMOVED as the emulator changes them. A terminate shows up at once as CHANGED to TERMINATING, and
 * as CHANGED to TERMINATED when the emulator completes it (with its timers on, as in Node by default;
 * without timers, at the next call that catches the emulator up). Ends, releasing its subscription,
 * when `options.signal` aborts or the loop breaks. A bad parent or filter rejects the first `next()`
 * with the INVALID_ARGUMENT a list would give.
 */
export function watchJobRuns(
  feed: ChangeFeed,
  request: WatchJobRunsRequestInit,
  options: WatchOptions = {},
): AsyncIterable<WatchJobRunsResponse> {
  return {
    [Symbol.asyncIterator]: () =>
      new EmulatorWatch(feed, request.parent ?? "", request.filter ?? "", options).queue,
  };
}

const { EXISTING, SYNCED, ADDED, CHANGED, REMOVED } = WatchJobRunsResponse_Type;

/** A run's latest known version, and when it was learnt (events and page reads share one counter). */
interface Version {
  readonly run: JobRun;
  readonly seq: number;
}

/** One watcher: its subscription, what it has told its consumer, and the queue it tells it through. */
class EmulatorWatch {
  readonly queue: AsyncQueue<WatchJobRunsResponse>;
  /**
   * Every run the consumer was told matches, as last sent, by name: its etag tells a change from a
   * repeat, and it is what a REMOVED carries when a run leaves unseen. The store holds these same
   * messages, so this costs a map entry per run.
   */
  private readonly known = new Map<string, JobRun>();
  /** While the runs are being read: the changes heard meanwhile, by name, newest last. */
  private reading: Map<string, Version> | undefined;
  /** A change the feed cannot describe run by run arrived while reading: read again. */
  private readAgain = false;
  private seq = 0;
  private unsubscribe: (() => void) | undefined;
  private parentParts: RolloutNameParts | undefined;
  private predicate: JobRunPredicate = () => true;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly parent: string,
    private readonly filter: string,
    options: WatchOptions,
  ) {
    const { signal } = options;
    const onAbort = () => this.queue.end();
    this.queue = new AsyncQueue(() => {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      signal?.removeEventListener("abort", onAbort);
    });
    if (signal?.aborted) {
      this.queue.end();
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    void this.begin();
  }

  private async begin(): Promise<void> {
    try {
      // Subscribed first, in the same turn as the first page is read: no change can fall between.
      this.unsubscribe = this.feed.subscribe((change) => this.onChange(change));
      const runs = await this.readRuns();
      for (const run of runs.values()) {
        this.known.set(run.name, run);
        this.send(EXISTING, run);
      }
      this.queue.push(create(WatchJobRunsResponseSchema, { type: SYNCED }));
    } catch (error) {
      this.queue.end(error);
    }
  }

  /**
   * The runs that match now, read page by page through listJobRuns while the feed's changes are
   * noted: a change heard after a page was read is newer than that page's copy of the run, so it
   * wins; a run's latest version decides whether it is in.
   */
  private async readRuns(): Promise<Map<string, JobRun>> {
    for (;;) {
      const heard = new Map<string, Version>();
      this.reading = heard;
      this.readAgain = false;
      const read = new Map<string, Version>();
      let pageToken = "";
      do {
        const readAt = ++this.seq;
        // listJobRuns reads the store when called; the await only delivers what it read.
        const page = await this.feed.listJobRuns({
          parent: this.parent,
          filter: this.filter,
          pageSize: MAX_PAGE_SIZE,
          pageToken,
        });
        // Validated by the list that just succeeded; compiled once for the changes to come.
        if (this.parentParts === undefined) {
          this.parentParts = parseRolloutName(this.parent, { wildcards: true, field: "parent" });
          this.predicate = compileFilter(this.filter);
        }
        for (const run of page.jobRuns) read.set(run.name, { run, seq: readAt });
        pageToken = page.nextPageToken;
      } while (pageToken !== "" && !this.queue.ended);
      this.reading = undefined;
      if (this.readAgain) continue;
      const runs = new Map<string, JobRun>();
      for (const [name, version] of read) {
        const newer = heard.get(name);
        if (newer === undefined || newer.seq < version.seq) runs.set(name, version.run);
      }
      for (const [name, version] of heard) {
        const older = read.get(name);
        if (older !== undefined && older.seq > version.seq) continue;
        if (this.matches(version.run)) runs.set(name, version.run);
        else runs.delete(name);
      }
      return runs;
    }
  }

  private onChange(change: EmulatorChange): void {
    if (this.queue.ended) return;
    if (change.type === "created" || change.type === "updated") {
      if (this.reading !== undefined) {
        this.reading.set(change.jobRun.name, { run: change.jobRun, seq: ++this.seq });
      } else if (this.parentParts !== undefined) {
        this.apply(change.jobRun);
      }
      return;
    }
    // An import (or any change that does not name its run): read everything again.
    if (this.reading !== undefined) this.readAgain = true;
    else if (this.parentParts !== undefined) void this.resync();
  }

  /** One run's new version, against what the consumer knows. */
  private apply(run: JobRun): void {
    const sent = this.known.get(run.name);
    if (this.matches(run)) {
      if (sent?.etag === run.etag) return;
      this.known.set(run.name, run);
      this.send(sent === undefined ? ADDED : CHANGED, run);
    } else if (sent !== undefined) {
      this.known.delete(run.name);
      this.send(REMOVED, run);
    }
  }

  /** Reads the runs again and sends what differs from what the consumer knows. */
  private async resync(): Promise<void> {
    try {
      const runs = await this.readRuns();
      for (const run of runs.values()) this.apply(run);
      for (const [name, sent] of [...this.known]) {
        if (!runs.has(name)) {
          // Gone without a change naming it: the REMOVED carries the run as last sent.
          this.known.delete(name);
          this.send(REMOVED, sent);
        }
      }
    } catch (error) {
      this.queue.end(error);
    }
  }

  private matches(run: JobRun): boolean {
    const parent = this.parentParts;
    if (parent === undefined) return false;
    let inParent: boolean;
    try {
      inParent = isJobRunInParent(parseJobRunName(run.name), parent);
    } catch {
      inParent = false;
    }
    return inParent && this.predicate(run);
  }

  private send(type: WatchJobRunsResponse_Type, jobRun: JobRun): void {
    this.queue.push(create(WatchJobRunsResponseSchema, { type, jobRun }));
  }
}
