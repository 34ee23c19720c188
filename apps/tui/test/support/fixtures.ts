// Job runs for tests, as the emulator imports them (proto3 JSON). Times are relative to NOW.
import type { JobRunJson } from "@jobrun/core";

export const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
export const PROJECT = "acme";
export const ALL = `projects/${PROJECT}/locations/-/deliveryPipelines/-/releases/-/rollouts/-`;
export const ROLLOUT = `projects/${PROJECT}/locations/us-central1/deliveryPipelines/web/releases/r1/rollouts/r1-to-prod-0001`;

const iso = (msBeforeNow: number) => new Date(NOW - msBeforeNow).toISOString();
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const nameOf = (n: number, rollout = ROLLOUT) => `${rollout}/jobRuns/${id(n)}`;

/** An IN_PROGRESS Cloud Run deploy, a FAILED verify, a SUCCEEDED predeploy, a child-rollout job, a TERMINATED postdeploy. */
export function sampleRuns(): JobRunJson[] {
  return [
    {
      name: nameOf(1),
      phaseId: "canary-25",
      jobId: "deploy",
      createTime: iso(60_000),
      startTime: iso(55_000),
      state: "IN_PROGRESS",
      deployJobRun: {
        build: "projects/123/locations/us-central1/builds/b-1",
        artifact: { artifactUri: "gs://artifacts/web/r1", manifestPaths: ["prod/manifest.yaml"] },
        metadata: {
          cloudRun: {
            service: "projects/acme/locations/us-central1/services/web",
            serviceUrls: ["https://web-abc.a.run.app"],
            revision: "web-00042-xyz",
          },
          custom: { values: { team: "storefront" } },
        },
      },
    },
    {
      name: nameOf(2),
      phaseId: "stable",
      jobId: "verify",
      createTime: iso(3_600_000),
      startTime: iso(3_590_000),
      endTime: iso(3_500_000),
      state: "FAILED",
      verifyJobRun: {
        build: "projects/123/locations/us-central1/builds/b-2",
        artifactUri: "gs://artifacts/web/r1/verify",
        eventLogPath: "events.log",
        failureCause: "VERIFICATION_CONFIG_NOT_FOUND",
        failureMessage: "skaffold.yaml has no verify stanza",
      },
    },
    {
      name: nameOf(3),
      phaseId: "stable",
      jobId: "predeploy",
      createTime: iso(7_200_000),
      startTime: iso(7_190_000),
      endTime: iso(7_100_000),
      state: "SUCCEEDED",
      predeployJobRun: { build: "projects/123/locations/us-central1/builds/b-3" },
    },
    {
      name: nameOf(4),
      phaseId: "stable",
      jobId: "create-child",
      createTime: iso(9_000_000),
      startTime: iso(8_990_000),
      endTime: iso(8_900_000),
      state: "SUCCEEDED",
      createChildRolloutJobRun: { rollout: `${ROLLOUT}-child`, rolloutPhaseId: "stable" },
    },
    {
      name: nameOf(5),
      phaseId: "stable",
      jobId: "postdeploy",
      createTime: iso(10_000_000),
      startTime: iso(9_990_000),
      endTime: iso(9_900_000),
      state: "TERMINATED",
      postdeployJobRun: { build: "projects/123/locations/us-central1/builds/b-5" },
    },
  ];
}

/** `count` finished deploy runs, newest first by createTime, ids 1000…; every tenth FAILED. */
export function manyRuns(count: number): JobRunJson[] {
  return Array.from({ length: count }, (_, i) => ({
    name: nameOf(1000 + i),
    phaseId: "stable",
    jobId: `job-${String(i).padStart(5, "0")}`,
    createTime: iso((i + 1) * 1000),
    startTime: iso((i + 1) * 1000 - 10),
    endTime: iso((i + 1) * 1000 - 500),
    state: i % 10 === 9 ? "FAILED" : "SUCCEEDED",
    deployJobRun: i % 10 === 9 ? { failureCause: "EXECUTION_FAILED", failureMessage: "exit 1" } : {},
  }));
}
