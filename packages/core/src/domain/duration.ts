import { type Timestamp, timestampMs } from "@bufbuild/protobuf/wkt";
import type { JobRun } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";

/**
 * How long a run has run, in milliseconds: from start (or creation) to end, or to `now` while it is
 * still running. `undefined` when it has not started.
 */
export function runDurationMs(
  run: Pick<JobRun, "createTime" | "startTime" | "endTime">,
  now: number = Date.now(),
): number | undefined {
  const start = msOf(run.startTime) ?? msOf(run.createTime);
  if (start === undefined) return undefined;
  const end = msOf(run.endTime) ?? now;
  return Math.max(0, end - start);
}

function msOf(timestamp: Timestamp | undefined): number | undefined {
  return timestamp === undefined ? undefined : timestampMs(timestamp);
}

/** A compact duration for people: "850ms", "42s", "3m 05s", "2h 07m", "3d 4h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
