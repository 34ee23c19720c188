// The emulator's change feed: what its subscribers (persistence, the watch, live views) hear. A
// module of its own, so the watch reads the feed's shape without importing the emulator that
// imports the watch.
import type { JobRun } from "@jobrun/core";

/** A change to the stored runs, for persistence and live views. */
export type EmulatorChange =
  | { readonly type: "created"; readonly jobRun: JobRun }
  | { readonly type: "updated"; readonly jobRun: JobRun; readonly previous: JobRun }
  | { readonly type: "imported"; readonly count: number };

export type EmulatorListener = (change: EmulatorChange) => void;
