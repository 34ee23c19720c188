// What the consumer of a watch has been told, and the one rule for telling it more: whatever the
// source (an event stream that resumed, one that started over, a listing polled every few seconds),
// the consumer sees the initial state once (EXISTING…, SYNCED) and from then on only changes, a run
// being the same version when its etag is (or, without one, when it is equal field for field).

import {
  type JobRun,
  sameJobRunVersion,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  watchResponse,
} from "@jobrun/core";

const { EXISTING, SYNCED, ADDED, CHANGED, REMOVED } = WatchJobRunsResponse_Type;

export class WatchedRuns {
  private readonly known = new Map<string, JobRun>();
  private synced = false;

  /** Whether the consumer has had its initial state. */
  get isSynced(): boolean {
    return this.synced;
  }

  /**
   * Every run as it is now (an initial state from the server, or a listing): the first time, the
   * initial state; after, the difference from what the consumer knows.
   */
  replace(runs: Iterable<JobRun>): WatchJobRunsResponse[] {
    const out: WatchJobRunsResponse[] = [];
    if (!this.synced) {
      for (const run of runs) {
        this.known.set(run.name, run);
        out.push(watchResponse(EXISTING, run));
      }
      this.synced = true;
      out.push(watchResponse(SYNCED));
      return out;
    }
    const current = new Map<string, JobRun>();
    for (const run of runs) current.set(run.name, run);
    for (const run of current.values()) out.push(...this.change(ADDED, run));
    for (const [name, run] of [...this.known]) {
      if (!current.has(name)) {
        this.known.delete(name);
        out.push(watchResponse(REMOVED, run));
      }
    }
    return out;
  }

  /** One change the server sent (ADDED, CHANGED or REMOVED): nothing when it tells nothing new. */
  change(type: WatchJobRunsResponse_Type, run: JobRun): WatchJobRunsResponse[] {
    const known = this.known.get(run.name);
    if (type === REMOVED) {
      if (known === undefined) return [];
      this.known.delete(run.name);
      return [watchResponse(REMOVED, run)];
    }
    if (known !== undefined && sameJobRunVersion(known, run)) return [];
    this.known.set(run.name, run);
    return [watchResponse(known === undefined ? ADDED : CHANGED, run)];
  }
}
