// The details page as data: label/value lines in sections. Kept apart from the component so the
// session can know the page's length (for scrolling) and tests can read it without rendering.
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { failureOf, type JobRun, jobKindLabel, jobKindOf, stateName } from "@jobrun/core";
import { durationOf, shortJobRunId } from "../format/run-fields.js";

export type DetailLine =
  | { readonly kind: "section"; readonly title: string }
  | { readonly kind: "field"; readonly label: string; readonly value: string; readonly tone?: "error" }
  | { readonly kind: "blank" };

const section = (title: string): DetailLine => ({ kind: "section", title });
const field = (label: string, value: string, tone?: "error"): DetailLine =>
  tone === undefined ? { kind: "field", label, value } : { kind: "field", label, value, tone };
const blank: DetailLine = { kind: "blank" };

function time(ts: Timestamp | undefined): string {
  return ts === undefined ? "—" : timestampDate(ts).toISOString();
}

function orDash(value: string): string {
  return value === "" ? "—" : value;
}

/** Every field of a run, the section of its job kind, and its failure. */
export function detailLines(run: JobRun, nowMs: number): readonly DetailLine[] {
  const lines: DetailLine[] = [
    section(`Job run ${shortJobRunId(run.name)}`),
    field("Name", run.name),
    field("UID", orDash(run.uid)),
    field("State", stateName(run.state)),
    field("Kind", jobKindLabel(jobKindOf(run))),
    field("Job ID", orDash(run.jobId)),
    field("Phase ID", orDash(run.phaseId)),
    field("Created", time(run.createTime)),
    field("Started", time(run.startTime)),
    field("Ended", time(run.endTime)),
    field("Duration", orDash(durationOf(run, nowMs))),
    field("ETag", orDash(run.etag)),
    blank,
    ...kindLines(run),
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

function kindLines(run: JobRun): DetailLine[] {
  const job = run.jobRun;
  switch (job.case) {
    case "deployJobRun": {
      const { build, artifact, metadata } = job.value;
      const lines: DetailLine[] = [section("Deploy"), field("Build", orDash(build))];
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
        field("Build", orDash(job.value.build)),
        field("Artifact URI", orDash(job.value.artifactUri)),
        field("Event log path", orDash(job.value.eventLogPath)),
      ];
    case "predeployJobRun":
      return [section("Predeploy"), field("Build", orDash(job.value.build))];
    case "postdeployJobRun":
      return [section("Postdeploy"), field("Build", orDash(job.value.build))];
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
