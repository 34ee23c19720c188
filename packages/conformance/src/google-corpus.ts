// Documents shaped the way Google's Cloud Deploy REST surface answers today, including what is newer
// than our schema (and than any published cloud_deploy.proto): fields from the current discovery
// types (the googleapis package's clouddeploy v1 `Schema$JobRun`, `Schema$AnalysisJobRun`,
// `Schema$CloudRunMetadata`, `Schema$VerifyJobRunMetadata`, …) and enum values no schema of ours has.
// A fake Google serves them; whatever sits between it and the caller must hand them on unchanged.
//
// Each run is written once with enum names (what Google sends by default) and its enum fields are
// given numbers (what `$alt=json;enum-encoding=int` gets): for a value newer than our schema only
// Google knows the number, so the corpus says it.

/** A JSON object as Google sends it. */
export type GoogleJson = { readonly [key: string]: unknown };

export const CORPUS_PROJECT = "corpus";

/** The rollout every corpus run belongs to. */
export const CORPUS_PARENT = `projects/${CORPUS_PROJECT}/locations/us-central1/deliveryPipelines/web/releases/rel-7/rollouts/rel-7-to-prod-0001`;

/** A run named under CORPUS_PARENT. */
export const corpusRunName = (id: string): string => `${CORPUS_PARENT}/jobRuns/${id}`;

/** Numbers of the enum names in the corpus, by the JSON path of the field (`[]` for any list index). */
const ENUM_NUMBERS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  state: {
    STATE_UNSPECIFIED: 0,
    IN_PROGRESS: 1,
    SUCCEEDED: 2,
    FAILED: 3,
    TERMINATING: 4,
    TERMINATED: 5,
    FUTURE_STATE: 7,
  },
  "deployJobRun.failureCause": { EXECUTION_FAILED: 2, FUTURE_DEPLOY_FAILURE: 9 },
  "verifyJobRun.failureCause": { VERIFICATION_CONFIG_NOT_FOUND: 4 },
  "analysisJobRun.customCheckAnalyses[].failureCause": { EXECUTION_FAILED: 2 },
};

/** The runs, by id, with enum names. */
export const corpusRuns: Readonly<Record<string, GoogleJson>> = {
  // analysisJobRun: a `job_run` oneof member no published proto has (Schema$AnalysisJobRun).
  analysis: {
    name: corpusRunName("analysis"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a01",
    phaseId: "stable",
    jobId: "analysis",
    createTime: "2026-01-12T09:00:00.123456Z",
    startTime: "2026-01-12T09:00:05Z",
    endTime: "2026-01-12T09:20:05Z",
    state: "FAILED",
    analysisJobRun: {
      alertPolicyAnalyses: [
        {
          id: "latency",
          alertPolicies: [`projects/${CORPUS_PROJECT}/alertPolicies/p95-latency`],
          labels: { service: "web" },
          failedAlertPolicies: [
            {
              alertPolicy: `projects/${CORPUS_PROJECT}/alertPolicies/p95-latency`,
              alerts: [`projects/${CORPUS_PROJECT}/alertPolicies/p95-latency/incidents/42`],
            },
          ],
          failureMessage: "alert policy p95-latency fired",
        },
      ],
      customCheckAnalyses: [
        {
          id: "smoke",
          frequency: "300s",
          task: {
            container: { image: "gcr.io/corpus/smoke:1", command: ["/smoke"], env: { TARGET: "prod" } },
          },
          latestBuild: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-smoke`,
          metadata: { values: { checked: "17" } },
          failureCause: "EXECUTION_FAILED",
          failureMessage: "smoke test failed",
        },
      ],
      failedCheckId: "latency",
    },
    etag: "corpus-etag-analysis",
  },
  // verifyJobRun.metadata.custom.values (Schema$VerifyJobRunMetadata): newer than our VerifyJobRun.
  verify: {
    name: corpusRunName("verify"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a02",
    phaseId: "stable",
    jobId: "verify",
    createTime: "2026-01-12T08:40:00Z",
    startTime: "2026-01-12T08:40:02Z",
    endTime: "2026-01-12T08:44:30Z",
    state: "SUCCEEDED",
    verifyJobRun: {
      build: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-verify`,
      artifactUri: "gs://corpus/verify",
      eventLogPath: "events.log",
      metadata: { custom: { values: { tests: "112", flaky: "0" } } },
    },
    etag: "corpus-etag-verify",
  },
  // predeploy/postdeploy metadata.custom.values (Schema$PredeployJobRunMetadata and Postdeploy's).
  predeploy: {
    name: corpusRunName("predeploy"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a03",
    phaseId: "stable",
    jobId: "predeploy",
    createTime: "2026-01-12T08:00:00Z",
    startTime: "2026-01-12T08:00:01Z",
    endTime: "2026-01-12T08:01:00Z",
    state: "SUCCEEDED",
    predeployJobRun: {
      build: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-pre`,
      metadata: { custom: { values: { migration: "0042" } } },
    },
    etag: "corpus-etag-predeploy",
  },
  postdeploy: {
    name: corpusRunName("postdeploy"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a04",
    phaseId: "stable",
    jobId: "postdeploy",
    createTime: "2026-01-12T08:50:00Z",
    startTime: "2026-01-12T08:50:01Z",
    state: "IN_PROGRESS",
    postdeployJobRun: {
      build: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-post`,
      metadata: { custom: { values: { notified: "chat" } } },
    },
    etag: "corpus-etag-postdeploy",
  },
  // cloudRun.workerPool and cloudRun.previousRevision (Schema$CloudRunMetadata).
  deploy: {
    name: corpusRunName("deploy"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a05",
    phaseId: "canary-25",
    jobId: "deploy",
    createTime: "2026-01-12T08:10:00Z",
    startTime: "2026-01-12T08:10:03Z",
    endTime: "2026-01-12T08:12:41Z",
    state: "SUCCEEDED",
    deployJobRun: {
      build: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-deploy`,
      artifact: { artifactUri: "gs://corpus/deploy", manifestPaths: ["manifest.yaml"] },
      metadata: {
        cloudRun: {
          service: `projects/${CORPUS_PROJECT}/locations/us-central1/services/web`,
          serviceUrls: ["https://web-corpus.a.run.app"],
          revision: "web-00042-abc",
          previousRevision: `projects/${CORPUS_PROJECT}/locations/us-central1/services/web/revisions/web-00041-xyz`,
          workerPool: `projects/${CORPUS_PROJECT}/locations/us-central1/workerPools/queue-workers`,
        },
      },
    },
    etag: "corpus-etag-deploy",
  },
  // An enum value newer than any schema: a state and a failure cause Google added later.
  future: {
    name: corpusRunName("future"),
    uid: "6f1c7a0e-0b9c-4a5e-9a43-4d6f0d2b8a06",
    phaseId: "stable",
    jobId: "deploy",
    createTime: "2026-01-12T09:30:00Z",
    startTime: "2026-01-12T09:30:02Z",
    state: "FUTURE_STATE",
    deployJobRun: {
      build: `projects/${CORPUS_PROJECT}/locations/us-central1/builds/b-future`,
      failureCause: "FUTURE_DEPLOY_FAILURE",
      failureMessage: "a cause this schema has no name for",
    },
    etag: "corpus-etag-future",
  },
};

/** The corpus runs in list order (as Google lists them: newest first is not promised; this is fixed). */
export const corpusRunIds = Object.keys(corpusRuns);

/** A run with its enums as numbers, as `$alt=json;enum-encoding=int` gets it from Google. */
export function withEnumNumbers(run: GoogleJson): GoogleJson {
  return numbered(run, "") as GoogleJson;
}

function numbered(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((item) => numbered(item, `${path}[]`));
  if (typeof value !== "object" || value === null) {
    const table = ENUM_NUMBERS[path];
    if (table === undefined || typeof value !== "string") return value;
    const number = table[value];
    if (number === undefined) throw new Error(`the corpus has no number for ${path}=${value}`);
    return number;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = numbered(item, path === "" ? key : `${path}.${key}`);
  return out;
}

/** Google-shaped errors: details of kinds and from domains our own errors never produce. */
export const corpusErrors = {
  /** A run that does not exist. Google's NOT_FOUND names the resource only in its message here. */
  notFound: (name: string): GoogleJson => ({
    error: {
      code: 404,
      message: `Resource '${name}' was not found`,
      status: "NOT_FOUND",
    },
  }),
  /** Terminating a finished run: ErrorInfo, a LocalizedMessage and a Help link. */
  notTerminable: (name: string): GoogleJson => ({
    error: {
      code: 400,
      message: `JobRun ${name} is in state SUCCEEDED and cannot be terminated`,
      status: "FAILED_PRECONDITION",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "JOB_RUN_NOT_TERMINABLE",
          domain: "clouddeploy.googleapis.com",
          metadata: { jobRun: name, state: "SUCCEEDED" },
        },
        {
          "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
          locale: "en-US",
          message: "Only an in-progress job run can be terminated.",
        },
        {
          "@type": "type.googleapis.com/google.rpc.Help",
          links: [{ description: "Terminate a job run", url: "https://cloud.google.com/deploy/docs/" }],
        },
      ],
    },
  }),
  /** The proxy's own service account lacks a permission: IAM's ErrorInfo, from another domain. */
  permissionDenied: (name: string): GoogleJson => ({
    error: {
      code: 403,
      message: `Permission 'clouddeploy.jobRuns.terminate' denied on resource '${name}' (or it may not exist).`,
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "IAM_PERMISSION_DENIED",
          domain: "iam.googleapis.com",
          metadata: { permission: "clouddeploy.jobRuns.terminate", resource: name },
        },
      ],
    },
  }),
} as const;
