import { ListJobRunsResponseSchema } from "@jobrun/core";
import { decodeResponse } from "../src/decode/response-decoder.js";

/** A 1 000-run list page as Google writes it: every run with timestamps, a job and its metadata. */
export function listPageText(count = 1000): string {
  const jobRuns = Array.from({ length: count }, (_, i) => {
    const id = `${i.toString(16).padStart(8, "0")}-7d2c-4a8b-9e51-3c1f0a2d4e6f`;
    return {
      name: `projects/demo/locations/us-central1/deliveryPipelines/web/releases/r-${i % 9}/rollouts/r-${i % 9}-to-prod-0001/jobRuns/${id}`,
      uid: id,
      phaseId: i % 2 === 0 ? "stable" : "canary-25",
      jobId: ["predeploy", "deploy", "verify", "postdeploy"][i % 4],
      createTime: "2025-01-01T12:00:00.123456Z",
      startTime: "2025-01-01T12:00:01Z",
      endTime: "2025-01-01T12:04:31.5Z",
      state: ["SUCCEEDED", "FAILED", "IN_PROGRESS", "TERMINATED"][i % 4],
      deployJobRun: {
        build: `projects/123/locations/us-central1/builds/${id}`,
        failureCause: i % 4 === 1 ? "EXECUTION_FAILED" : undefined,
        failureMessage:
          i % 4 === 1 ? "kubectl apply failed: deployment exceeded its progress deadline" : undefined,
        metadata: {
          cloudRun: {
            service: "projects/demo/locations/us-central1/services/web",
            serviceUrls: ["https://web-abc123-uc.a.run.app"],
            revision: `web-${String(i).padStart(5, "0")}-xyz`,
          },
        },
        artifact: { artifactUri: `gs://demo-artifacts/web/${id}`, manifestPaths: ["manifest.yaml"] },
      },
      etag: `etag-${i}`,
    };
  });
  return JSON.stringify({ jobRuns, nextPageToken: "CAESBggBEAEYAQ" });
}

/** Mean milliseconds per run of `work`, after a warm-up. */
function timeIt(work: () => unknown, minMs = 400): number {
  for (let i = 0; i < 30; i += 1) work();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    work();
    runs += 1;
  }
  return (performance.now() - started) / runs;
}

/** Decoding a page with the client vs JSON.parse of the same bytes, measured in the same run. */
export function decodeVersusJsonParse(): {
  bytes: number;
  jsonParseMs: number;
  decodeMs: number;
  ratio: number;
} {
  const text = listPageText();
  const check = decodeResponse(ListJobRunsResponseSchema, text, "bench");
  if (check.jobRuns.length !== 1000) throw new Error("the bench page did not decode to 1000 runs");
  // Short interleaved rounds, the best of each side: a busy machine (CI, parallel test runs) slows
  // some rounds, and the best round is the one closest to the code's own cost.
  let jsonParseMs = Number.POSITIVE_INFINITY;
  let decodeMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round += 1) {
    jsonParseMs = Math.min(
      jsonParseMs,
      timeIt(() => JSON.parse(text)),
    );
    decodeMs = Math.min(
      decodeMs,
      timeIt(() => decodeResponse(ListJobRunsResponseSchema, text, "bench")),
    );
  }
  return { bytes: text.length, jsonParseMs, decodeMs, ratio: decodeMs / jsonParseMs };
}
