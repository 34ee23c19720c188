// Where a watch's events come from. The proxy streams whatever a WatchSource yields; each backend
// brings its own: the emulator its change feed (a backend that implements core's
// JobRunWatchService), the google backend a shared poller of list (fed by Pub/Sub pushes).

import type { JobRunService, JobRunWatchService, WatchJobRunsResponse } from "@jobrun/core";

/**
 * The events of one watch: an EXISTING response per run under `parent` matching `filter`, one
 * SYNCED, then ADDED / CHANGED / REMOVED. The proxy opens one per distinct (parent, filter) however
 * many callers watch it, and aborts `signal` when nobody does any more. The parent and the filter
 * reach it as the caller sent them, after authorization: a bad one must reject the first `next()`
 * with an ApiError (INVALID_ARGUMENT), which the caller then gets as a normal error answer. An
 * iterator that ends or fails after SYNCED ends its callers' streams (they reconnect).
 */
export interface WatchSource {
  watch(parent: string, filter: string, signal: AbortSignal): AsyncIterable<WatchJobRunsResponse>;
}

/** A backend's own watch, when it has one (the emulator): undefined otherwise. */
export function watchSourceOf(
  backend: JobRunService | (JobRunService & JobRunWatchService),
): WatchSource | undefined {
  if (!("watchJobRuns" in backend) || typeof backend.watchJobRuns !== "function") return undefined;
  const watchable = backend as JobRunWatchService;
  return { watch: (parent, filter, signal) => watchable.watchJobRuns({ parent, filter }, { signal }) };
}
