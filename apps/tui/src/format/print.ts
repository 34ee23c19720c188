// The non-interactive output: the list once, as proto3 JSON or as a plain table (no colour, no
// glyphs: it is read by scripts and people alike).
import { encodeJson, type JobRun, JobRunSchema } from "@jobrun/core";
import {
  ageOf,
  durationOf,
  pipelineOf,
  releaseOf,
  shortFailure,
  shortKind,
  shortRollout,
  stateWord,
} from "./run-fields.js";

/** `{"jobRuns":[…]}`, the shape of a ListJobRunsResponse, pretty-printed. */
export function formatJson(runs: readonly JobRun[]): string {
  return `${JSON.stringify({ jobRuns: runs.map((run) => encodeJson(JobRunSchema, run)) }, null, 2)}\n`;
}

const tableColumns: readonly { title: string; value: (run: JobRun, nowMs: number) => string }[] = [
  { title: "STATE", value: (run) => stateWord(run.state) },
  { title: "KIND", value: (run) => shortKind(run) },
  { title: "JOB", value: (run) => run.jobId },
  { title: "PHASE", value: (run) => run.phaseId },
  // The rollout id alone is ambiguous (rel-006-to-prod-0001 exists in two pipelines): its pipeline
  // and release stand beside it.
  { title: "PIPELINE", value: (run) => pipelineOf(run) },
  { title: "RELEASE", value: (run) => releaseOf(run) },
  { title: "ROLLOUT", value: (run) => shortRollout(run) },
  { title: "AGE", value: (run, now) => ageOf(run, now) },
  { title: "DURATION", value: (run, now) => durationOf(run, now) },
  { title: "FAILURE", value: (run) => shortFailure(run) },
  { title: "NAME", value: (run) => run.name },
];

/** A table with a title row, columns as wide as their widest cell. */
export function formatTable(runs: readonly JobRun[], nowMs: number): string {
  const cells = [
    tableColumns.map((c) => c.title),
    ...runs.map((run) => tableColumns.map((c) => c.value(run, nowMs) || "-")),
  ];
  const widths = tableColumns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const lines = cells.map((row) =>
    row.map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i] ?? 0))).join("  "),
  );
  return `${lines.join("\n")}\n`;
}
