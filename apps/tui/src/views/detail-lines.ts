// The details page as data: label/value lines in sections. Kept apart from the component so the
// session can know the page's length (for scrolling) and tests can read it without rendering.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { failureOf, type JobRun, jobKindLabel, jobKindOf } from "@jobrun/core";
import { namePartsOf } from "../format/name-parts.js";
import { durationOf, shortJobRunId, stateWord } from "../format/run-fields.js";
import { localAndUtc } from "../format/time.js";
import { buildLogUrlOf, buildOf, consoleUrlOf } from "../terminal/console-url.js";
import type { PageLine } from "./page-line.js";

export type DetailLine = PageLine<FieldLine>;

/** A labelled value of the run. */
export interface FieldLine {
  readonly kind: "field";
  readonly label: string;
  readonly value: string;
  readonly tone?: "error";
}

/** Columns of the label before each value. */
export const LABEL_WIDTH = 20;

const section = (title: string): DetailLine => ({ kind: "section", title });
const field = (label: string, value: string, tone?: "error"): DetailLine =>
  tone === undefined ? { kind: "field", label, value } : { kind: "field", label, value, tone };
const blank: DetailLine = { kind: "blank" };

function time(ts: Timestamp | undefined): string {
  return ts === undefined ? "—" : localAndUtc(ts);
}

function orDash(value: string): string {
  return value === "" ? "—" : value;
}

/** `text` in pieces of at most `width` columns, broken after a "/" where one is near. */
export function wrapPath(text: string, width: number): readonly string[] {
  if (width <= 0 || text.length <= width) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const slash = rest.lastIndexOf("/", width - 1);
    const cut = slash >= width / 2 ? slash + 1 : width;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}

/** A field whose long value continues on further lines (no label) rather than being cut. */
function wrappedField(label: string, value: string, columns: number): DetailLine[] {
  return wrapPath(value, columns - LABEL_WIDTH).map((piece, i) => field(i === 0 ? label : "", piece));
}

/**
 * Every field of a run: where it belongs (project to job), its state and times, the links to its
 * rollout and build log, the section of its job kind, and its failure. `columns` is the width the
 * page is drawn at (long names wrap).
 */
export function detailLines(run: JobRun, nowMs: number, columns: number): readonly DetailLine[] {
  const parts = namePartsOf(run.name);
  const rolloutUrl = consoleUrlOf(run.name);
  const lines: DetailLine[] = [
    section(`Job run ${shortJobRunId(run.name)}`),
    ...wrappedField("Name", run.name, columns),
    field("Project", orDash(parts?.project ?? "")),
    field("Location", orDash(parts?.location ?? "")),
    field("Pipeline", orDash(parts?.deliveryPipeline ?? "")),
    field("Release", orDash(parts?.release ?? "")),
    field("Rollout", orDash(parts?.rollout ?? "")),
    field("Phase ID", orDash(run.phaseId)),
    field("Job ID", orDash(run.jobId)),
    field("ID", orDash(parts?.jobRun ?? "")),
    field("UID", orDash(run.uid)),
    field("State", stateWord(run.state)),
    field("Kind", jobKindLabel(jobKindOf(run))),
    field("Created", time(run.createTime)),
    field("Started", time(run.startTime)),
    field("Ended", time(run.endTime)),
    field("Duration", orDash(durationOf(run, nowMs))),
    field("ETag", orDash(run.etag)),
    ...wrappedField("Rollout page (o)", rolloutUrl ?? "—", columns),
    blank,
    ...kindLines(run, columns),
  ];
  const failure = failureOf(run);
  if (failure !== undefined) {
    lines.push(
      blank,
      section("Failure"),
      field("Cause", failure.cause, "error"),
      field("Explanation", failure.explanation),
      field("Message", orDash(failure.message)),
    );
  }
  return lines;
}

function buildLines(run: JobRun, columns: number): DetailLine[] {
  const build = buildOf(run);
  return [
    field("Build", orDash(build)),
    ...wrappedField("Build log (l)", buildLogUrlOf(build) ?? "—", columns),
  ];
}

function kindLines(run: JobRun, columns: number): DetailLine[] {
  const job = run.jobRun;
  switch (job.case) {
    case "deployJobRun": {
      const { artifact, metadata } = job.value;
      const lines: DetailLine[] = [section("Deploy"), ...buildLines(run, columns)];
      lines.push(field("Artifact URI", orDash(artifact?.artifactUri ?? "")));
      const manifests = artifact?.manifestPaths ?? [];
      if (manifests.length === 0) lines.push(field("Manifest paths", "—"));
      for (const [i, path] of manifests.entries()) lines.push(field(i === 0 ? "Manifest paths" : "", path));
      const cloudRun = metadata?.cloudRun;
      if (cloudRun !== undefined) {
        lines.push(field("Cloud Run service", orDash(cloudRun.service)));
        if (cloudRun.serviceUrls.length === 0) lines.push(field("Service URLs", "—"));
        for (const [i, url] of cloudRun.serviceUrls.entries())
          lines.push(field(i === 0 ? "Service URLs" : "", url));
        lines.push(
          field("Revision", orDash(cloudRun.revision)),
          field("Cloud Run job", orDash(cloudRun.job)),
        );
      }
      const skip = metadata?.customTarget?.skipMessage;
      if (skip !== undefined) lines.push(field("Custom target skip", orDash(skip)));
      const custom = Object.entries(metadata?.custom?.values ?? {}).sort(([a], [b]) => a.localeCompare(b));
      for (const [i, [key, value]] of custom.entries()) {
        lines.push(field(i === 0 ? "Custom metadata" : "", `${key}=${value}`));
      }
      return lines;
    }
    case "verifyJobRun":
      return [
        section("Verify"),
        ...buildLines(run, columns),
        field("Artifact URI", orDash(job.value.artifactUri)),
        field("Event log path", orDash(job.value.eventLogPath)),
      ];
    case "predeployJobRun":
      return [section("Predeploy"), ...buildLines(run, columns)];
    case "postdeployJobRun":
      return [section("Postdeploy"), ...buildLines(run, columns)];
    case "createChildRolloutJobRun":
    case "advanceChildRolloutJobRun":
      return [
        section(job.case === "createChildRolloutJobRun" ? "Create child rollout" : "Advance child rollout"),
        field("Child rollout", orDash(job.value.rollout)),
        field("Child rollout phase", orDash(job.value.rolloutPhaseId)),
      ];
    default:
      return [section("Job"), field("Kind", "not reported by the server")];
  }
}
