// The short forms of a run's fields that the list, the header, the details and the printed table share.

import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  failureOf,
  formatDuration,
  type JobKind,
  type JobRun,
  JobRun_State,
  jobKindOf,
  runDurationMs,
} from "@jobrun/core";
import { namePartsOf } from "./name-parts.js";

// Narrow forms of core's labels: "Create child rollout" does not fit a list column.
const shortKinds: Readonly<Record<JobKind, string>> = {
  predeploy: "predeploy",
  deploy: "deploy",
  verify: "verify",
  postdeploy: "postdeploy",
  createChildRollout: "child-create",
  advanceChildRollout: "child-advance",
};

/**
 * The state's name, e.g. "IN_PROGRESS"; a value newer than our schema as `STATE_7`, so it reads as
 * a state and never as a bare number.
 */
export function stateWord(state: JobRun_State): string {
  return JobRun_State[state] ?? `STATE_${state}`;
}

/** The job kind in a list column, e.g. "deploy", "child-create"; "?" when the server set none. */
export function shortKind(run: JobRun): string {
  const kind = jobKindOf(run);
  return kind === undefined ? "?" : shortKinds[kind];
}

/** The kind where it says more than the job id (a job "deploy" of kind deploy shows none). */
export function kindUnlessJob(run: JobRun): string {
  const kind = shortKind(run);
  return kind === run.jobId ? "" : kind;
}

/** The delivery pipeline id of a run; "" when its name does not parse. */
export function pipelineOf(run: JobRun): string {
  return namePartsOf(run.name)?.deliveryPipeline ?? "";
}

/** The release id of a run; "" when its name does not parse. */
export function releaseOf(run: JobRun): string {
  return namePartsOf(run.name)?.release ?? "";
}

/** The rollout id of a run (its name's rollout segment); the full name when it does not parse. */
export function shortRollout(run: JobRun): string {
  return namePartsOf(run.name)?.rollout ?? run.name;
}

/** The job run id (the name's last segment). */
export function shortJobRunId(name: string): string {
  return namePartsOf(name)?.jobRun ?? name.slice(name.lastIndexOf("/") + 1);
}

/**
 * A duration to the second, as the list shows ages: "0s", "42s", "3m 05s". (Core's form shows
 * milliseconds under a second, which reads oddly beside an age of "1s".)
 */
export function formatSeconds(ms: number): string {
  return formatDuration(Math.floor(Math.max(0, ms) / 1000) * 1000).replace(/^0ms$/, "0s");
}

/** How long ago the run was created, compactly ("42s", "3m 05s"); "" when unknown. */
export function ageOf(run: JobRun, nowMs: number): string {
  if (run.createTime === undefined) return "";
  return formatSeconds(nowMs - timestampMs(run.createTime));
}

/** How long the run ran (so far, while running); "" when it has not started. */
export function durationOf(run: JobRun, nowMs: number): string {
  const ms = runDurationMs(run, nowMs);
  return ms === undefined ? "" : formatSeconds(ms);
}

/** The failure cause name, or "" when the run reports none; a newer cause as `FAILURE_CAUSE_12`. */
export function shortFailure(run: JobRun): string {
  const cause = failureOf(run)?.cause ?? "";
  return /^\d+$/.test(cause) ? `FAILURE_CAUSE_${cause}` : cause;
}
