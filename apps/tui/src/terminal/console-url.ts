import { parseJobRunName } from "@jobrun/core";

/**
 * The Cloud Console page of a run's rollout, where its job runs and logs are shown. The console has
 * no stable deep link to a single job run, so the rollout page is the closest reliable one.
 */
export function consoleUrlOf(jobRunName: string): string {
  const p = parseJobRunName(jobRunName);
  const path = [p.location, p.deliveryPipeline, "releases", p.release, "rollouts", p.rollout]
    .map(encodeURIComponent)
    .join("/");
  return `https://console.cloud.google.com/deploy/delivery-pipelines/${path}?project=${encodeURIComponent(p.project)}`;
}
