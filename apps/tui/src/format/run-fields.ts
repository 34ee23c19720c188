// The short forms of a run's fields that the list, the header and the printed table share.

import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  failureOf,
  formatDuration,
  type JobKind,
  type JobRun,
  jobKindOf,
  parseJobRunName,
  runDurationMs,
} from "@jobrun/core";

// Narrow forms of core's labels: "Create child rollout" does not fit a list column.
const shortKinds: Readonly<Record<JobKind, string>> = {
  predeploy: "predeploy",
  deploy: "deploy",
  verify: "verify",
  postdeploy: "postdeploy",
  createChildRollout: "child-create",
  advanceChildRollout: "child-advance",
};

/** The job kind in a list column, e.g. "deploy", "child-create"; "?" when the server set none. */
export function shortKind(run: JobRun): string {
  const kind = jobKindOf(run);
  return kind === undefined ? "?" : shortKinds[kind];
}

/** The rollout id of a run (its name's rollout segment); the full name when it does not parse. */
export function shortRollout(run: JobRun): string {
  try {
    return parseJobRunName(run.name).rollout;
  } catch {
    return run.name;
  }
}

/** The job run id (the name's last segment). */
export function shortJobRunId(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** How long ago the run was created, compactly ("42s", "3m 05s"); "" when unknown. */
export function ageOf(run: JobRun, nowMs: number): string {
  if (run.createTime === undefined) return "";
  return formatDuration(Math.max(0, nowMs - timestampMs(run.createTime)));
}

/** How long the run ran (so far, while running); "" when it has not started. */
export function durationOf(run: JobRun, nowMs: number): string {
  const ms = runDurationMs(run, nowMs);
  return ms === undefined ? "" : formatDuration(ms);
}

/** The failure cause name, or "" when the run reports none. */
export function shortFailure(run: JobRun): string {
  return failureOf(run)?.cause ?? "";
}
