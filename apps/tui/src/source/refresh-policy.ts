// How often to refresh: often while something moves, rarely once all is finished (nothing will
// change by itself then, but someone may start a new rollout).
import { isActive, type JobRun } from "@jobrun/core";
import type { Timers } from "../session/timers.js";
import type { Store } from "../state/store.js";

/** Default seconds between refreshes while a run is IN_PROGRESS or TERMINATING. */
export const DEFAULT_REFRESH_SECONDS = 3;
/** When nothing moves, refresh this many times more slowly. */
export const IDLE_SLOWDOWN = 5;

/** Milliseconds until the next refresh, or undefined for manual refresh only (`--refresh 0`). */
export function nextRefreshDelayMs(
  refreshSeconds: number,
  runs: readonly JobRun[],
  pendingTerminations: number,
): number | undefined {
  if (refreshSeconds <= 0) return undefined;
  const moving = pendingTerminations > 0 || runs.some((run) => isActive(run.state));
  return refreshSeconds * 1000 * (moving ? 1 : IDLE_SLOWDOWN);
}

export interface RefreshTimer {
  /** Arms the next refresh by the policy above (none with `--refresh 0`). */
  scheduleByActivity(): void;
}

/** The timer that keeps the list fresh, armed after each refresh by what the list shows. */
export function createRefreshTimer(options: {
  readonly timers: Timers;
  readonly store: Store;
  readonly refreshSeconds: number;
  readonly refresh: () => void;
}): RefreshTimer {
  return {
    scheduleByActivity() {
      const s = options.store.getState();
      // Live: changes arrive as they happen, and nothing needs re-reading on a timer.
      if (s.updates === "live") {
        options.timers.clear("refresh");
        return;
      }
      const delayMs = nextRefreshDelayMs(options.refreshSeconds, s.runs, s.terminating.size);
      if (delayMs === undefined) options.timers.clear("refresh");
      else options.timers.set("refresh", options.refresh, delayMs);
    },
  };
}
