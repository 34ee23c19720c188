// The spinner of moving runs. It ticks only while a visible row moves, so an idle screen stays
// still (and costs nothing).
import { isActive } from "@jobrun/core";
import { listBodyHeight } from "../state/layout.js";
import type { Store } from "../state/store.js";
import type { Timers } from "./timers.js";

/** How often the spinner moves. */
export const SPINNER_INTERVAL_MS = 120;

/** Starts ticking; the timers' clearAll stops it. */
export function startSpinner(store: Store, timers: Timers): void {
  const tick = () => {
    const s = store.getState();
    const visible = s.rows.slice(s.scrollTop, s.scrollTop + listBodyHeight(s.size));
    if (s.view === "list" && s.mode !== "confirm" && visible.some((run) => isActive(run.state))) {
      store.dispatch({ type: "tick" });
    }
    timers.set("spinner", tick, SPINNER_INTERVAL_MS);
  };
  timers.set("spinner", tick, SPINNER_INTERVAL_MS);
}
