// The spinner of moving runs and loads, and the clock of the details page. It ticks only while
// something on screen moves, so an idle screen stays still (and costs nothing).
import { isActive } from "@jobrun/core";
import { listBodyHeight } from "../state/layout.js";
import { selectedRun } from "../state/reducer.js";
import type { State } from "../state/state.js";
import type { Store } from "../state/store.js";
import type { Timers } from "./timers.js";

/** How often the spinner moves. */
export const SPINNER_INTERVAL_MS = 120;
/** How often the details page redraws while its run moves (its duration counts seconds). */
const DETAILS_EVERY_TICKS = Math.round(1000 / SPINNER_INTERVAL_MS);

/** Whether the list screen shows something moving: a loading header, a moving row, or a moving count. */
function listMoves(s: State): boolean {
  if (s.loading !== "none") return true;
  const visible = s.rows.slice(s.scrollTop, s.scrollTop + listBodyHeight(s));
  // The header's counts of IN_PROGRESS and TERMINATING spin too, visible rows or not.
  return visible.some((run) => isActive(run.state)) || s.runs.some((run) => isActive(run.state));
}

/** Starts ticking; the timers' clearAll stops it. */
export function startSpinner(store: Store, timers: Timers): void {
  let ticks = 0;
  const tick = () => {
    ticks++;
    const s = store.getState();
    if (s.mode !== "confirm") {
      if (s.view === "list" && listMoves(s)) store.dispatch({ type: "tick" });
      else if (s.view === "details" && ticks % DETAILS_EVERY_TICKS === 0) {
        const run = selectedRun(s);
        if (run !== undefined && isActive(run.state)) store.dispatch({ type: "tick" });
      }
    }
    timers.set("spinner", tick, SPINNER_INTERVAL_MS);
  };
  timers.set("spinner", tick, SPINNER_INTERVAL_MS);
}
