// Links from a run to Google Cloud's Console: its rollout's page and its build's logs.
import { type BuildNameParts, type JobRun, parseBuildName } from "@jobrun/core";
import { namePartsOf } from "../format/name-parts.js";

/**
 * The Cloud Console page of a run's rollout, where its job runs and logs are shown. The console has
 * no stable deep link to a single job run, so the rollout page is the closest reliable one.
 * Undefined for a name that does not parse.
 */
export function consoleUrlOf(jobRunName: string): string | undefined {
  const p = namePartsOf(jobRunName);
  if (p === undefined) return undefined;
  const path = [p.location, p.deliveryPipeline, "releases", p.release, "rollouts", p.rollout]
    .map(encodeURIComponent)
    .join("/");
  return `https://console.cloud.google.com/deploy/delivery-pipelines/${path}?project=${encodeURIComponent(p.project)}`;
}

/** The Cloud Build the run's job ran in (`projects/P/locations/L/builds/ID`); "" for jobs without one. */
export function buildOf(run: JobRun): string {
  const job = run.jobRun;
  switch (job.case) {
    case "deployJobRun":
    case "verifyJobRun":
    case "predeployJobRun":
    case "postdeployJobRun":
      return job.value.build;
    default:
      return "";
  }
}

/** The Console page of a build's log, from its name; undefined when there is none or it does not parse. */
export function buildLogUrlOf(build: string): string | undefined {
  let parts: BuildNameParts;
  try {
    parts = parseBuildName(build);
  } catch {
    return undefined;
  }
  const { project, location, build: id } = parts;
  return `https://console.cloud.google.com/cloud-build/builds;region=${encodeURIComponent(location)}/${encodeURIComponent(id)}?project=${encodeURIComponent(project)}`;
}
