// JobRun documents shaped like the REST API's answers, one per job kind, in proto3 JSON.
import type { JobRunJson } from "../src/index.js";

const rollout =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/rel-042/rollouts/rel-042-to-prod-0001";

export const deployRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/5b0a0d4e-3f1c-4a43-9d55-0c2b7a7f3e11`,
  uid: "2f6c3d0b9a8e4c1f8e7d6c5b4a392817",
  phaseId: "canary-25",
  jobId: "deploy",
  createTime: "2025-03-04T10:15:30.123456789Z",
  startTime: "2025-03-04T10:15:31Z",
  endTime: "2025-03-04T10:17:02.500Z",
  state: "FAILED",
  deployJobRun: {
    build: "projects/123456789012/locations/us-central1/builds/6a1f0c2e-0000-4d6b-9d1e-7b5c3f2a1e00",
    failureCause: "MISSING_RESOURCES_FOR_CANARY",
    failureMessage: "Service web-frontend has no traffic split for the canary.",
    metadata: {
      cloudRun: {
        service: "projects/acme-prod/locations/us-central1/services/web-frontend",
        serviceUrls: ["https://web-frontend-abc123-uc.a.run.app"],
        revision: "web-frontend-00042-xyz",
        job: "projects/acme-prod/locations/us-central1/jobs/migrate",
      },
      customTarget: { skipMessage: "nothing to deploy" },
      custom: { values: { region: "us-central1", "traffic-percent": "25" } },
    },
    artifact: {
      artifactUri: "gs://acme-prod-clouddeploy/web-frontend/rel-042/prod/canary-25",
      manifestPaths: ["manifest.yaml", "skaffold-rendered/service.yaml"],
    },
  },
  etag: "d2a3f0e1",
};

export const verifyRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/0f3e2d1c-0000-4000-8000-000000000002`,
  uid: "verify-uid",
  phaseId: "stable",
  jobId: "verify",
  createTime: "2025-03-04T10:20:00Z",
  state: "IN_PROGRESS",
  verifyJobRun: {
    build: "projects/acme-prod/locations/us-central1/builds/b2",
    artifactUri: "gs://acme-prod-clouddeploy/verify",
    eventLogPath: "events/verify.log",
    failureCause: "VERIFICATION_CONFIG_NOT_FOUND",
    failureMessage: "no verify stanza",
  },
  etag: "e1",
};

export const predeployRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/0f3e2d1c-0000-4000-8000-000000000003`,
  phaseId: "stable",
  jobId: "predeploy",
  state: "SUCCEEDED",
  predeployJobRun: { build: "projects/acme-prod/locations/us-central1/builds/b3" },
};

export const postdeployRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/0f3e2d1c-0000-4000-8000-000000000004`,
  phaseId: "stable",
  jobId: "postdeploy",
  state: "FAILED",
  postdeployJobRun: {
    build: "projects/acme-prod/locations/us-central1/builds/b4",
    failureCause: "CLOUD_BUILD_REQUEST_FAILED",
    failureMessage: "quota exceeded",
  },
};

export const createChildRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/0f3e2d1c-0000-4000-8000-000000000005`,
  phaseId: "stable",
  jobId: "createChildRollout",
  state: "TERMINATED",
  createChildRolloutJobRun: {
    rollout:
      "projects/acme-prod/locations/europe-west1/deliveryPipelines/web-child/releases/rel-042/rollouts/rel-042-to-eu-0001",
    rolloutPhaseId: "stable",
  },
};

export const advanceChildRunJson: JobRunJson = {
  name: `${rollout}/jobRuns/0f3e2d1c-0000-4000-8000-000000000006`,
  phaseId: "canary-50",
  jobId: "advanceChildRollout",
  state: "TERMINATING",
  advanceChildRolloutJobRun: {
    rollout:
      "projects/acme-prod/locations/europe-west1/deliveryPipelines/web-child/releases/rel-042/rollouts/rel-042-to-eu-0001",
    rolloutPhaseId: "canary-50",
  },
};

/** One document per job kind. */
export const runsByKind = {
  deploy: deployRunJson,
  verify: verifyRunJson,
  predeploy: predeployRunJson,
  postdeploy: postdeployRunJson,
  createChildRollout: createChildRunJson,
  advanceChildRollout: advanceChildRunJson,
} as const;
