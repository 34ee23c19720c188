// The demo world's fixed shape: pipelines, their targets and runtimes, and the failures each job kind
// can report, with the messages Cloud Deploy would plausibly give.

import type { JobKind } from "@jobrun/core";

export type Runtime = "cloudRun" | "gke" | "custom" | "multiTarget";

export interface TargetSpec {
  readonly id: string;
  /** Canary targets roll out in phases canary-25, canary-50, stable; the others in one stable phase. */
  readonly canary: boolean;
}

export interface PipelineSpec {
  readonly id: string;
  readonly location: string;
  readonly runtime: Runtime;
  readonly targets: readonly TargetSpec[];
  /** Whether the targets run predeploy/postdeploy custom actions. */
  readonly deployHooks: boolean;
  readonly verify: boolean;
}

/** The project the demo world lives in; the TUI lists it when no endpoint is given. */
export const DEMO_PROJECT = "demo-project";
/** The project number Cloud Build names use. */
export const DEMO_PROJECT_NUMBER = "123456789012";

export const pipelines: readonly PipelineSpec[] = [
  {
    id: "storefront-web",
    location: "us-central1",
    runtime: "cloudRun",
    targets: [
      { id: "dev", canary: false },
      { id: "staging", canary: false },
      { id: "prod", canary: true },
    ],
    deployHooks: true,
    verify: true,
  },
  {
    id: "payments-api",
    location: "us-central1",
    runtime: "gke",
    targets: [
      { id: "staging", canary: false },
      { id: "prod", canary: true },
    ],
    deployHooks: false,
    verify: true,
  },
  {
    id: "inventory-sync",
    location: "europe-west1",
    runtime: "cloudRun",
    targets: [
      { id: "dev", canary: false },
      { id: "prod-eu", canary: false },
    ],
    deployHooks: true,
    verify: false,
  },
  {
    id: "ml-batch",
    location: "europe-west1",
    runtime: "custom",
    targets: [
      { id: "dev", canary: false },
      { id: "prod", canary: false },
    ],
    deployHooks: false,
    verify: true,
  },
  {
    id: "edge-fleet",
    location: "us-central1",
    runtime: "multiTarget",
    targets: [{ id: "prod-multi", canary: true }],
    deployHooks: false,
    verify: false,
  },
];

export interface FailureSpec {
  readonly cause: string;
  readonly message: string;
}

const buildUnavailable: FailureSpec = {
  cause: "CLOUD_BUILD_UNAVAILABLE",
  message:
    "Cloud Build is not available: the Cloud Build API is disabled or the service account lacks roles/cloudbuild.builds.builder.",
};
const deadline: FailureSpec = {
  cause: "DEADLINE_EXCEEDED",
  message: "The Cloud Build job did not complete within the configured timeout of 3600s.",
};

/** The failures each job kind draws from (names as in its own FailureCause enum). */
export const failures: Readonly<
  Record<"predeploy" | "deploy" | "verify" | "postdeploy", readonly FailureSpec[]>
> = {
  predeploy: [
    buildUnavailable,
    { cause: "EXECUTION_FAILED", message: 'Custom action "db-migrate" failed: step #0 exited with code 1.' },
    deadline,
    {
      cause: "CLOUD_BUILD_REQUEST_FAILED",
      message: "Cloud Build rejected the request: quota exceeded for concurrent builds in region.",
    },
  ],
  deploy: [
    buildUnavailable,
    {
      cause: "EXECUTION_FAILED",
      message: "Deploy failed: the new revision failed its health check (container exited with code 137).",
    },
    deadline,
    {
      cause: "MISSING_RESOURCES_FOR_CANARY",
      message:
        'The canary needs a Service and an HTTPRoute; HTTPRoute "web-route" was not found in namespace "default".',
    },
    {
      cause: "CLOUD_BUILD_REQUEST_FAILED",
      message: "Cloud Build rejected the request: the worker pool does not exist.",
    },
    {
      cause: "DEPLOY_FEATURE_NOT_SUPPORTED",
      message: "This target's runtime does not support the deploy parameters used by the release.",
    },
  ],
  verify: [
    buildUnavailable,
    {
      cause: "EXECUTION_FAILED",
      message: 'Verification failed: container "smoke-test" exited with code 1 (3 of 12 checks failed).',
    },
    deadline,
    {
      cause: "VERIFICATION_CONFIG_NOT_FOUND",
      message: "No verify stanza was found in skaffold.yaml for the target's profile.",
    },
    {
      cause: "CLOUD_BUILD_REQUEST_FAILED",
      message: "Cloud Build rejected the request: invalid machine type.",
    },
  ],
  postdeploy: [
    buildUnavailable,
    {
      cause: "EXECUTION_FAILED",
      message: 'Custom action "notify-release" failed: step #1 exited with code 2.',
    },
    deadline,
    {
      cause: "CLOUD_BUILD_REQUEST_FAILED",
      message: "Cloud Build rejected the request: the build's service account is disabled.",
    },
  ],
};

/** One job of a rollout's plan. */
export interface PlannedJob {
  readonly phaseId: string;
  readonly jobId: string;
  readonly kind: JobKind;
}

/** The jobs a rollout of `pipeline` to `target` runs, in order. */
export function planRollout(pipeline: PipelineSpec, target: TargetSpec): PlannedJob[] {
  const phases = target.canary ? ["canary-25", "canary-50", "stable"] : ["stable"];
  const jobs: PlannedJob[] = [];
  phases.forEach((phaseId, index) => {
    const first = index === 0;
    const last = index === phases.length - 1;
    if (pipeline.runtime === "multiTarget") {
      jobs.push(
        first
          ? { phaseId, jobId: "createChildRollout", kind: "createChildRollout" }
          : { phaseId, jobId: "advanceChildRollout", kind: "advanceChildRollout" },
      );
      return;
    }
    if (pipeline.deployHooks && first) jobs.push({ phaseId, jobId: "predeploy", kind: "predeploy" });
    jobs.push({ phaseId, jobId: "deploy", kind: "deploy" });
    if (pipeline.verify) jobs.push({ phaseId, jobId: "verify", kind: "verify" });
    if (pipeline.deployHooks && last) jobs.push({ phaseId, jobId: "postdeploy", kind: "postdeploy" });
  });
  return jobs;
}
