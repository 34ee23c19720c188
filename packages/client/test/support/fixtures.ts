import type { JobRunJson } from "@jobrun/core";

export const ROLLOUT =
  "projects/demo/locations/us-central1/deliveryPipelines/web/releases/r-1/rollouts/r-1-to-prod-0001";
export const JOB_RUN = `${ROLLOUT}/jobRuns/0b6a3f1e-7d2c-4a8b-9e51-3c1f0a2d4e6f`;

/** One realistic JobRun as Google's REST API writes it. */
export function jobRunJson(name = JOB_RUN, overrides: Partial<JobRunJson> = {}): JobRunJson {
  return {
    name,
    uid: "7c1e2d3f4a5b",
    phaseId: "stable",
    jobId: "deploy",
    createTime: "2025-01-01T12:00:00.123456Z",
    startTime: "2025-01-01T12:00:01Z",
    state: "IN_PROGRESS",
    deployJobRun: {
      build: "projects/123/locations/us-central1/builds/9f8e7d6c",
      metadata: {
        cloudRun: {
          service: "projects/demo/locations/us-central1/services/web",
          serviceUrls: ["https://web-abc.a.run.app"],
          revision: "web-00042-xyz",
        },
      },
    },
    etag: "abc123",
    ...overrides,
  };
}

/** A list page of `count` runs. */
export function listPageJson(
  count: number,
  nextPageToken = "",
): { jobRuns: JobRunJson[]; nextPageToken?: string } {
  const jobRuns = Array.from({ length: count }, (_, i) =>
    jobRunJson(`${ROLLOUT}/jobRuns/run-${String(i).padStart(4, "0")}`, {
      state: i % 3 === 0 ? "SUCCEEDED" : i % 3 === 1 ? "FAILED" : "IN_PROGRESS",
      endTime: "2025-01-01T12:05:00Z",
    }),
  );
  return nextPageToken === "" ? { jobRuns } : { jobRuns, nextPageToken };
}
