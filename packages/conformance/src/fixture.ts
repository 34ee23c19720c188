// The data every implementation is loaded with before the suite runs. Deterministic and hand-shaped:
// every state, job kind and phase; shared createTimes (to exercise tie-breaking); a rollout with more
// than 1000 runs (page-size clamp); runs in a second project (wildcards never cross projects).

import type { JobRunJson } from "@jobrun/core";

export interface ConformanceFixture {
  /** The runs to load, as proto3 JSON (an import document is `{ jobRuns }`). */
  readonly jobRuns: JobRunJson[];
  /** How long a terminated run stays TERMINATING; small, so the suite can poll for TERMINATED. */
  readonly terminateDelayMs: number;
}

export const PROJECT = "conformance";
export const OTHER_PROJECT = "conformance-other";

const rollout = (project: string, location: string, pipeline: string, release: string, id: string) =>
  `projects/${project}/locations/${location}/deliveryPipelines/${pipeline}/releases/${release}/rollouts/${id}`;

/** The rollouts of the fixture, by role. */
export const rollouts = {
  webRel1: rollout(PROJECT, "us-central1", "web", "rel-1", "rel-1-to-prod-0001"),
  webRel2: rollout(PROJECT, "us-central1", "web", "rel-2", "rel-2-to-prod-0001"),
  apiRel1: rollout(PROJECT, "europe-west1", "api", "rel-1", "rel-1-to-staging-0001"),
  /** 1010 runs: more than the largest page. */
  bulk: rollout(PROJECT, "us-central1", "bulk", "rel-1", "rel-1-to-dev-0001"),
  /** Only IN_PROGRESS runs, one per terminate test. */
  terminate: rollout(PROJECT, "us-central1", "web", "rel-3", "rel-3-to-prod-0001"),
  other: rollout(OTHER_PROJECT, "us-central1", "web", "rel-1", "rel-1-to-prod-0001"),
  /** A well-formed rollout that has no runs. */
  empty: rollout(PROJECT, "us-central1", "web", "rel-9", "rel-9-to-prod-0001"),
} as const;

export const BULK_SIZE = 1010;
export const TERMINATE_SIZE = 16;

// No TERMINATING: the fixture is a still world every backend serves alike, and an emulator finishes a
// run imported as TERMINATING after its terminate delay (issue 10.9), which a fake Google does not.
// The suite's own terminates cover TERMINATING.
const states = [
  "IN_PROGRESS",
  "SUCCEEDED",
  "FAILED",
  "TERMINATED",
  "TERMINATED",
  "SUCCEEDED",
  "FAILED",
] as const;
const kinds = [
  "predeployJobRun",
  "deployJobRun",
  "verifyJobRun",
  "postdeployJobRun",
  "createChildRolloutJobRun",
  "advanceChildRolloutJobRun",
] as const;
const phases = ["canary-25", "canary-50", "stable"] as const;
const jobIds: Record<(typeof kinds)[number], string> = {
  predeployJobRun: "predeploy",
  deployJobRun: "deploy",
  verifyJobRun: "verify",
  postdeployJobRun: "postdeploy",
  createChildRolloutJobRun: "createChildRollout",
  advanceChildRolloutJobRun: "advanceChildRollout",
};
const causes: Record<string, readonly string[]> = {
  deployJobRun: [
    "EXECUTION_FAILED",
    "MISSING_RESOURCES_FOR_CANARY",
    "CLOUD_BUILD_REQUEST_FAILED",
    "DEADLINE_EXCEEDED",
  ],
  verifyJobRun: ["EXECUTION_FAILED", "VERIFICATION_CONFIG_NOT_FOUND", "CLOUD_BUILD_UNAVAILABLE"],
  predeployJobRun: ["EXECUTION_FAILED", "CLOUD_BUILD_REQUEST_FAILED"],
  postdeployJobRun: ["DEADLINE_EXCEEDED", "EXECUTION_FAILED"],
};

/** 2025-03-01T00:00:00Z */
const BASE_MS = Date.UTC(2025, 2, 1);

function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

function iso(ms: number): string {
  // Proto3 JSON writes whole seconds without a fraction; the fixture is written the canonical way.
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

let serial = 0;

function makeRun(parent: string, i: number, forcedState?: (typeof states)[number]): JobRunJson {
  const n = ++serial;
  const kind = kinds[i % kinds.length]!;
  const state = forcedState ?? states[i % states.length]!;
  // Pairs of runs share a createTime, so orderings must break ties (by name) to page exactly.
  const createMs = BASE_MS + Math.floor(n / 2) * 60_000;
  const startMs = createMs + 5_000;
  const terminal = state === "SUCCEEDED" || state === "FAILED" || state === "TERMINATED";
  const build = `projects/123/locations/us-central1/builds/${uuidFor(n + 500_000)}`;
  let detail: Record<string, unknown>;
  const failed = state === "FAILED" && causes[kind] !== undefined;
  const failure = failed
    ? { failureCause: causes[kind]![n % causes[kind]!.length], failureMessage: `job ${n} failed` }
    : {};
  switch (kind) {
    case "deployJobRun":
      detail = {
        build,
        ...failure,
        artifact: { artifactUri: `gs://bucket/${n}`, manifestPaths: ["manifest.yaml"] },
        ...(n % 2 === 0
          ? {
              metadata: {
                cloudRun: {
                  service: `projects/${PROJECT}/locations/us-central1/services/web`,
                  serviceUrls: ["https://web.example.run.app"],
                  revision: `web-${n}`,
                },
              },
            }
          : {}),
      };
      break;
    case "verifyJobRun":
      detail = { build, artifactUri: `gs://bucket/${n}/verify`, eventLogPath: "events.log", ...failure };
      break;
    case "predeployJobRun":
    case "postdeployJobRun":
      detail = { build, ...failure };
      break;
    default:
      detail = { rollout: `${parent}-child`, rolloutPhaseId: "stable" };
  }
  return {
    name: `${parent}/jobRuns/${uuidFor(n)}`,
    uid: uuidFor(n + 1_000_000),
    phaseId: phases[(i + Math.floor(i / kinds.length)) % phases.length]!,
    jobId: jobIds[kind],
    createTime: iso(createMs),
    startTime: iso(startMs),
    ...(terminal ? { endTime: iso(startMs + 30_000 + (i % 5) * 1000) } : {}),
    state,
    etag: `etag-${n}`,
    [kind]: detail,
  } as JobRunJson;
}

/**
 * A fresh copy of the fixture. The suite sees a terminated run as TERMINATING on the next call, so
 * the default delay is far longer than a call takes even on a loaded machine through the slowest
 * harness (a browser behind a bridge); only one test waits it out, polling for TERMINATED.
 */
export function conformanceFixture(terminateDelayMs = 2_000): ConformanceFixture {
  serial = 0;
  const jobRuns: JobRunJson[] = [];
  const add = (parent: string, count: number, state?: (typeof states)[number]) => {
    for (let i = 0; i < count; i++) jobRuns.push(makeRun(parent, i, state));
  };
  add(rollouts.webRel1, 14);
  add(rollouts.webRel2, 9);
  add(rollouts.apiRel1, 11);
  add(rollouts.bulk, BULK_SIZE);
  add(rollouts.terminate, TERMINATE_SIZE, "IN_PROGRESS");
  add(rollouts.other, 5);
  return { jobRuns, terminateDelayMs };
}
