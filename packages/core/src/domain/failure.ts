import type { DescEnum } from "@bufbuild/protobuf";
import {
  DeployJobRun_FailureCause,
  DeployJobRun_FailureCauseSchema,
  type JobRun,
  PostdeployJobRun_FailureCause,
  PostdeployJobRun_FailureCauseSchema,
  PredeployJobRun_FailureCause,
  PredeployJobRun_FailureCauseSchema,
  VerifyJobRun_FailureCause,
  VerifyJobRun_FailureCauseSchema,
} from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import { enumValueName } from "./enum-name.js";
import { type JobKind, jobKindOf } from "./job-kind.js";

/** Why a run failed, as its job kind reports it. The four FailureCause enums differ (trap: value 4/5). */
export interface Failure {
  readonly kind: JobKind;
  /** The enum value name, e.g. "EXECUTION_FAILED"; "FAILURE_CAUSE_9" for a value this schema does not know. */
  readonly cause: string;
  /** One line for people, e.g. "The deploy failed; the Cloud Build logs say why." */
  readonly explanation: string;
  /** The server's failure_message, "" when none. */
  readonly message: string;
}

const cloudBuildUnavailable =
  "Cloud Build is not enabled in the project, or Cloud Deploy lacks permission to use it.";
const deadlineExceeded = "The job did not finish within its allowed time.";
const requestFailed = "Cloud Build refused or failed the request; the failure message has the details.";

const deploy: Readonly<Record<DeployJobRun_FailureCause, string>> = {
  [DeployJobRun_FailureCause.FAILURE_CAUSE_UNSPECIFIED]: "No failure cause was reported.",
  [DeployJobRun_FailureCause.CLOUD_BUILD_UNAVAILABLE]: cloudBuildUnavailable,
  [DeployJobRun_FailureCause.EXECUTION_FAILED]: "The deploy failed; the Cloud Build logs say why.",
  [DeployJobRun_FailureCause.DEADLINE_EXCEEDED]: deadlineExceeded,
  [DeployJobRun_FailureCause.MISSING_RESOURCES_FOR_CANARY]:
    "Runtime resources the canary needs (a Service, a Deployment or an HTTPRoute) are missing.",
  [DeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED]: requestFailed,
  [DeployJobRun_FailureCause.DEPLOY_FEATURE_NOT_SUPPORTED]:
    "The deploy uses a feature that this target or runtime does not support.",
};

const verify: Readonly<Record<VerifyJobRun_FailureCause, string>> = {
  [VerifyJobRun_FailureCause.FAILURE_CAUSE_UNSPECIFIED]: "No failure cause was reported.",
  [VerifyJobRun_FailureCause.CLOUD_BUILD_UNAVAILABLE]: cloudBuildUnavailable,
  [VerifyJobRun_FailureCause.EXECUTION_FAILED]: "The verification failed; the Cloud Build logs say why.",
  [VerifyJobRun_FailureCause.DEADLINE_EXCEEDED]: deadlineExceeded,
  [VerifyJobRun_FailureCause.VERIFICATION_CONFIG_NOT_FOUND]:
    "No verify section was found in the Skaffold configuration.",
  [VerifyJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED]: requestFailed,
};

const predeploy: Readonly<Record<PredeployJobRun_FailureCause, string>> = {
  [PredeployJobRun_FailureCause.FAILURE_CAUSE_UNSPECIFIED]: "No failure cause was reported.",
  [PredeployJobRun_FailureCause.CLOUD_BUILD_UNAVAILABLE]: cloudBuildUnavailable,
  [PredeployJobRun_FailureCause.EXECUTION_FAILED]:
    "The predeploy actions failed; the Cloud Build logs say why.",
  [PredeployJobRun_FailureCause.DEADLINE_EXCEEDED]: deadlineExceeded,
  [PredeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED]: requestFailed,
};

const postdeploy: Readonly<Record<PostdeployJobRun_FailureCause, string>> = {
  [PostdeployJobRun_FailureCause.FAILURE_CAUSE_UNSPECIFIED]: "No failure cause was reported.",
  [PostdeployJobRun_FailureCause.CLOUD_BUILD_UNAVAILABLE]: cloudBuildUnavailable,
  [PostdeployJobRun_FailureCause.EXECUTION_FAILED]:
    "The postdeploy actions failed; the Cloud Build logs say why.",
  [PostdeployJobRun_FailureCause.DEADLINE_EXCEEDED]: deadlineExceeded,
  [PostdeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED]: requestFailed,
};

/** What each job kind that reports failures needs: its FailureCause enum and one line per value. */
interface CauseTable {
  readonly schema: DescEnum;
  readonly explanations: Readonly<Record<number, string>>;
}

const tables: Readonly<Partial<Record<JobKind, CauseTable>>> = {
  deploy: { schema: DeployJobRun_FailureCauseSchema, explanations: deploy },
  verify: { schema: VerifyJobRun_FailureCauseSchema, explanations: verify },
  predeploy: { schema: PredeployJobRun_FailureCauseSchema, explanations: predeploy },
  postdeploy: { schema: PostdeployJobRun_FailureCauseSchema, explanations: postdeploy },
};

/** The one-line explanation of a failure cause of a job kind. Unknown numbers get a generic line. */
export function explainFailureCause(kind: JobKind, cause: number): string {
  const table = tables[kind];
  if (table === undefined) return "Child-rollout jobs report no failure cause; see the child rollout.";
  return table.explanations[cause] ?? `An unknown failure cause (${cause}) was reported.`;
}

/**
 * The failure a run reports, or `undefined` when its kind has no failure cause set
 * (still running, succeeded, or a child-rollout job).
 */
export function failureOf(run: Pick<JobRun, "jobRun">): Failure | undefined {
  const kind = jobKindOf(run);
  const value = run.jobRun.value;
  if (kind === undefined || value === undefined || !("failureCause" in value)) return undefined;
  const { failureCause, failureMessage } = value;
  if (failureCause === 0 && failureMessage === "") return undefined;
  const table = tables[kind];
  return {
    kind,
    cause: table === undefined ? String(failureCause) : enumValueName(table.schema, failureCause),
    explanation: explainFailureCause(kind, failureCause),
    message: failureMessage,
  };
}

/** The FailureCause value names of a job kind, in number order (for filters, pickers and tests). */
export function failureCauseNames(kind: JobKind): readonly string[] {
  const values = tables[kind]?.schema.values ?? [];
  return [...values].sort((a, b) => a.number - b.number).map((value) => value.name);
}
