// Keeping the list up to date from a watch instead of a timer, where the backend has one (the
// embedded emulator, a jobrun proxy): a run that changes is updated in its row as it happens; a run
// that appears or leaves the scope makes the list be read again (soon, once for a burst), so paging
// and order stay the server's. The watch follows the scope; when it turns out not to be live (an
// endpoint without a watch: Google's own) or ends, the refresh timer takes over again.
import {
  type Clock,
  type WatchJobRunsRequestInit,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  type WatchOptions,
} from "@jobrun/core";
import type { Timers } from "../session/timers.js";
import type { UpdateMode } from "../state/state.js";
import type { Store } from "../state/store.js";

/** How long after a run appears or leaves the list is read again: a burst costs one read. */
export const LIVE_REFRESH_DELAY_MS = 250;

/**
 * A JobRunWatchService (the emulator), or a client's, which also says through `onMode` whether the
 * endpoint streams ("live") or it would poll ("polling").
 */
export interface LiveWatch {
  watchJobRuns(
    request: WatchJobRunsRequestInit,
    options: WatchOptions & { readonly onMode?: (mode: UpdateMode) => void },
  ): AsyncIterable<WatchJobRunsResponse>;
}

export interface LiveUpdatesOptions {
  readonly watch: LiveWatch;
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Reads the list again (what the refresh timer does). */
  readonly refresh: () => void;
  /** The way the list keeps up changed: the refresh timer arms or stops by it. */
  readonly onModeChanged: () => void;
}

export interface LiveUpdates {
  start(): void;
  stop(): void;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const { store, timers } = options;
  let watching: { parent: string; filter: string; controller: AbortController } | undefined;
  /** The endpoint has no watch: no scope will have one, so none is tried again. */
  let unsupported = false;
  let unsubscribe = () => {};

  const setMode = (mode: UpdateMode) => {
    if (store.getState().updates === mode) return;
    store.dispatch({ type: "updates", mode });
    options.onModeChanged();
  };

  const onResponse = (response: WatchJobRunsResponse) => {
    const run = response.jobRun;
    switch (response.type) {
      case WatchJobRunsResponse_Type.SYNCED:
        setMode("live");
        return;
      case WatchJobRunsResponse_Type.CHANGED:
        if (run !== undefined) store.dispatch({ type: "runWatched", run, atMs: options.clock.now() });
        return;
      case WatchJobRunsResponse_Type.ADDED:
      case WatchJobRunsResponse_Type.REMOVED:
        timers.set("liveRefresh", options.refresh, LIVE_REFRESH_DELAY_MS);
        return;
      default:
        return;
    }
  };

  async function follow(parent: string, filter: string, controller: AbortController): Promise<void> {
    const { signal } = controller;
    try {
      const changes = options.watch.watchJobRuns(
        { parent, filter },
        {
          signal,
          // A client against an endpoint without a watch would poll on its own: the refresh timer
          // already does that, and knows when to slow down.
          onMode: (mode) => {
            if (mode !== "polling") return;
            unsupported = true;
            controller.abort();
            if (watching?.controller === controller) watching = undefined;
            setMode("polling");
          },
        },
      );
      for await (const response of changes) {
        if (signal.aborted) return;
        onResponse(response);
      }
    } catch {
      // The watch failed (a refusal, a lost endpoint): the timer's refreshes show the error, if any.
    }
    if (watching?.controller === controller) {
      watching = undefined;
      setMode("polling");
    }
  }

  /** Watches the scope the list shows, once it is not the one watched. */
  const followScope = () => {
    if (unsupported) return;
    const { parent, serverFilter } = store.getState();
    if (watching !== undefined && watching.parent === parent && watching.filter === serverFilter) return;
    watching?.controller.abort();
    const controller = new AbortController();
    watching = { parent, filter: serverFilter, controller };
    void follow(parent, serverFilter, controller);
  };

  return {
    start() {
      unsubscribe = store.subscribe(followScope);
      followScope();
    },
    stop() {
      unsubscribe();
      watching?.controller.abort();
      watching = undefined;
      timers.clear("liveRefresh");
    },
  };
}
