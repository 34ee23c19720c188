// The google-mode watch's settings on Workers, read from the Worker's vars. Both the Worker (when it
// builds its app, so a mistake is logged once as a misconfiguration) and each channel object read
// them, and must agree: the Worker takes a caller's lease for as long as the object renews it.

import { DEFAULT_WATCH_INTERVAL_MS } from "./google-poller.js";
import { DEFAULT_WATCH_LIMITS } from "./hub.js";

/** The vars read here (a subset of the Worker's). */
export interface WorkerWatchVars {
  /** Seconds between two listings of one watched (parent, filter). Default 2. */
  readonly WATCH_INTERVAL_SECONDS?: string;
  /** Watch streams one caller may hold across the whole Worker. Default 10; "0" for no limit. */
  readonly WATCH_MAX_PER_CALLER?: string;
}

export interface WorkerWatchSettings {
  /** Between two polls of a channel. */
  readonly intervalMs: number;
  /** A channel object's heartbeat, which finds gone watchers and renews its callers' leases. */
  readonly probeMs: number;
  /** Streams one caller may hold; 0 for no limit. */
  readonly maxPerCaller: number;
  /**
   * How long a lease lives unless renewed: three probes, so a late renewal or two costs nothing,
   * and a channel object that vanished without releasing (a crash, a deploy) locks no caller out
   * for longer than that (3 s to 45 s).
   */
  readonly leaseTtlMs: number;
}

/** The shortest heartbeat of a channel object: a second, however often it polls. */
const MIN_PROBE_MS = 1_000;
/** Renewals a lease outlives: see leaseTtlMs. */
const PROBES_PER_LEASE = 3;

/** Reads the settings; a var that is not a valid value throws, naming it (never its value). */
export function workerWatchSettings(vars: WorkerWatchVars): WorkerWatchSettings {
  const seconds = Number(vars.WATCH_INTERVAL_SECONDS ?? DEFAULT_WATCH_INTERVAL_MS / 1000);
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new Error("WATCH_INTERVAL_SECONDS must be a number of seconds above 0");
  const intervalMs = seconds * 1000;
  const probeMs = probeIntervalMs(intervalMs);
  return {
    intervalMs,
    probeMs,
    maxPerCaller: maxPerCallerOf(vars.WATCH_MAX_PER_CALLER),
    leaseTtlMs: PROBES_PER_LEASE * probeMs,
  };
}

/** The heartbeat that finds gone watchers: one per poll, between a second and the usual 15 s. */
function probeIntervalMs(pollIntervalMs: number): number {
  return Math.min(DEFAULT_WATCH_LIMITS.heartbeatMs, Math.max(MIN_PROBE_MS, pollIntervalMs));
}

function maxPerCallerOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WATCH_LIMITS.maxPerCaller;
  // As the CLI's --watch-max-per-caller: a whole number, 0 meaning no limit.
  if (!/^\d{1,9}$/.test(text.trim()))
    throw new Error("WATCH_MAX_PER_CALLER must be a whole number of watch streams (0 = no limit)");
  return Number(text.trim());
}
