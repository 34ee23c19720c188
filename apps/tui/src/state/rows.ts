// The rows the list shows, derived from the loaded runs: pending terminations applied, then the live
// text filter.
import { type JobRun, JobRun_State } from "@jobrun/core";
import { namePartsOf } from "../format/name-parts.js";
import { shortFailure, shortKind, stateWord } from "../format/run-fields.js";
import type { PendingTermination } from "./state.js";

/** `runs` with each run we asked to terminate (still IN_PROGRESS on the server) shown as TERMINATING. */
export function withPendingTerminations(
  runs: readonly JobRun[],
  terminating: ReadonlyMap<string, PendingTermination>,
): readonly JobRun[] {
  if (terminating.size === 0) return runs;
  return runs.map((run) =>
    terminating.has(run.name) && run.state === JobRun_State.IN_PROGRESS
      ? { ...run, state: JobRun_State.TERMINATING }
      : run,
  );
}

/** The ids in a run's name (project, location, pipeline, release, rollout, job run), as core parses it. */
function nameIds(name: string): string {
  const parts = namePartsOf(name);
  // A name core cannot parse (from a newer or odd server) is still searched as it is.
  return parts === undefined ? name : Object.values(parts).join("/");
}

/**
 * Whether a run matches the text filter: a case-insensitive substring of the ids in its name
 * (project, location, pipeline, release, rollout, job run), its job, phase, kind, state or failure.
 */
export function matchesText(run: JobRun, needle: string): boolean {
  if (needle === "") return true;
  const lower = needle.toLowerCase();
  return (
    nameIds(run.name).toLowerCase().includes(lower) ||
    run.jobId.toLowerCase().includes(lower) ||
    run.phaseId.toLowerCase().includes(lower) ||
    shortKind(run).toLowerCase().includes(lower) ||
    stateWord(run.state).toLowerCase().includes(lower) ||
    shortFailure(run).toLowerCase().includes(lower)
  );
}

/** The rows shown for these runs, pending terminations and text filter. */
export function rowsOf(
  runs: readonly JobRun[],
  terminating: ReadonlyMap<string, PendingTermination>,
  textFilter: string,
): readonly JobRun[] {
  const shown = withPendingTerminations(runs, terminating);
  return textFilter === "" ? shown : shown.filter((run) => matchesText(run, textFilter));
}
