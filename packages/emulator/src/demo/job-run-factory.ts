// Builds the demo's JobRun messages: names, builds, artifacts, Cloud Run and custom-target metadata,
// and failures, as a real Cloud Deploy project would show them.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  DeployJobRun_FailureCause,
  type JobRun,
  JobRun_State,
  JobRunSchema,
  jobRunName,
  PostdeployJobRun_FailureCause,
  PredeployJobRun_FailureCause,
  type RolloutNameParts,
  rolloutName,
  VerifyJobRun_FailureCause,
} from "@jobrun/core";
import {
  DEMO_PROJECT_NUMBER,
  type FailureSpec,
  failures,
  type PipelineSpec,
  type PlannedJob,
} from "./catalog.js";
import type { Random } from "./random.js";

/** Where a run sits and what its rollout deploys. */
export interface RunContext {
  readonly rollout: RolloutNameParts;
  readonly pipeline: PipelineSpec;
  readonly targetId: string;
}

export interface RunTimes {
  readonly createMs: number;
  readonly startMs?: number;
  readonly endMs?: number;
}

/** A run of `job` in `state`; `failure` only for FAILED runs of kinds that report a cause. */
export function buildJobRun(
  random: Random,
  context: RunContext,
  job: PlannedJob,
  state: JobRun_State,
  times: RunTimes,
  failure?: FailureSpec,
): JobRun {
  const { rollout } = context;
  return create(JobRunSchema, {
    name: jobRunName({ ...rollout, jobRun: random.uuid() }),
    uid: random.uuid(),
    phaseId: job.phaseId,
    jobId: job.jobId,
    createTime: timestampFromMs(times.createMs),
    ...(times.startMs === undefined ? {} : { startTime: timestampFromMs(times.startMs) }),
    ...(times.endMs === undefined ? {} : { endTime: timestampFromMs(times.endMs) }),
    state,
    jobRun: jobRunOneof(random, context, job, state, failure),
  });
}

/** The same run moved to a new state (and end time, and failure). */
export function withOutcome(run: JobRun, state: JobRun_State, endMs: number, failure?: FailureSpec): JobRun {
  const jobRun = run.jobRun;
  let next: JobRun["jobRun"] = jobRun;
  if (failure !== undefined && jobRun.case !== undefined) {
    switch (jobRun.case) {
      case "deployJobRun":
        next = {
          case: jobRun.case,
          value: { ...jobRun.value, failureCause: deployCause(failure), failureMessage: failure.message },
        };
        break;
      case "verifyJobRun":
        next = {
          case: jobRun.case,
          value: { ...jobRun.value, failureCause: verifyCause(failure), failureMessage: failure.message },
        };
        break;
      case "predeployJobRun":
        next = {
          case: jobRun.case,
          value: { ...jobRun.value, failureCause: predeployCause(failure), failureMessage: failure.message },
        };
        break;
      case "postdeployJobRun":
        next = {
          case: jobRun.case,
          value: { ...jobRun.value, failureCause: postdeployCause(failure), failureMessage: failure.message },
        };
        break;
      default:
        break;
    }
  }
  return { ...run, state, endTime: timestampFromMs(endMs), jobRun: next };
}

/** A failure a job of `kind` could report; undefined for child-rollout jobs (they report none). */
export function drawFailure(random: Random, kind: PlannedJob["kind"]): FailureSpec | undefined {
  if (kind === "createChildRollout" || kind === "advanceChildRollout") return undefined;
  return random.pick(failures[kind]);
}

type JobRunOneof = NonNullable<Exclude<MessageInitShape<typeof JobRunSchema>, JobRun>["jobRun"]>;

function jobRunOneof(
  random: Random,
  context: RunContext,
  job: PlannedJob,
  state: JobRun_State,
  failure: FailureSpec | undefined,
): JobRunOneof {
  const { rollout, pipeline } = context;
  const build = `projects/${DEMO_PROJECT_NUMBER}/locations/${rollout.location}/builds/${random.uuid()}`;
  const artifactRoot = `gs://${rollout.location}.deploy-artifacts.${rollout.project}.appspot.com/${rollout.deliveryPipeline}/${rollout.release}/${rollout.rollout}`;
  const failed = state === JobRun_State.FAILED && failure !== undefined;
  switch (job.kind) {
    case "predeploy":
      return {
        case: "predeployJobRun",
        value: {
          build,
          ...(failed ? { failureCause: predeployCause(failure), failureMessage: failure.message } : {}),
        },
      };
    case "postdeploy":
      return {
        case: "postdeployJobRun",
        value: {
          build,
          ...(failed ? { failureCause: postdeployCause(failure), failureMessage: failure.message } : {}),
        },
      };
    case "verify":
      return {
        case: "verifyJobRun",
        value: {
          build,
          artifactUri: `${artifactRoot}/${job.phaseId}/verify`,
          eventLogPath: "namespaces/default/verify-events.log",
          ...(failed ? { failureCause: verifyCause(failure), failureMessage: failure.message } : {}),
        },
      };
    case "deploy":
      return {
        case: "deployJobRun",
        value: {
          build,
          artifact: {
            artifactUri: `${artifactRoot}/${job.phaseId}`,
            manifestPaths: [`${context.targetId}/manifest.yaml`],
          },
          metadata: deployMetadata(random, context),
          ...(failed ? { failureCause: deployCause(failure), failureMessage: failure.message } : {}),
        },
      };
    case "createChildRollout":
    case "advanceChildRollout": {
      const child = rolloutName({
        ...rollout,
        deliveryPipeline: `${pipeline.id}-child`,
        rollout: `${rollout.release}-to-${context.targetId}-child-0001`,
      });
      const value = { rollout: child, rolloutPhaseId: job.phaseId };
      return job.kind === "createChildRollout"
        ? { case: "createChildRolloutJobRun", value }
        : { case: "advanceChildRolloutJobRun", value };
    }
  }
}

function deployMetadata(random: Random, context: RunContext) {
  const { rollout, pipeline } = context;
  if (pipeline.runtime === "cloudRun") {
    const service = `${pipeline.id}-${context.targetId}`;
    return {
      cloudRun: {
        service: `projects/${rollout.project}/locations/${rollout.location}/services/${service}`,
        serviceUrls: [
          `https://${service}-${random.id(10)}-${rollout.location === "us-central1" ? "uc" : "ew"}.a.run.app`,
        ],
        revision: `${service}-${String(random.int(1, 400)).padStart(5, "0")}-${random.id(3)}`,
      },
    };
  }
  if (pipeline.runtime === "custom") {
    return {
      customTarget: {
        skipMessage: random.chance(0.2) ? "No changes to the model since the last deploy; skipped." : "",
      },
      custom: {
        values: {
          "model-version": `v${random.int(1, 9)}.${random.int(0, 20)}`,
          "vertex-endpoint": `${random.int(1000, 9999)}`,
        },
      },
    };
  }
  return undefined;
}

function deployCause(failure: FailureSpec): DeployJobRun_FailureCause {
  return (
    DeployJobRun_FailureCause[failure.cause as keyof typeof DeployJobRun_FailureCause] ??
    DeployJobRun_FailureCause.EXECUTION_FAILED
  );
}
function verifyCause(failure: FailureSpec): VerifyJobRun_FailureCause {
  return (
    VerifyJobRun_FailureCause[failure.cause as keyof typeof VerifyJobRun_FailureCause] ??
    VerifyJobRun_FailureCause.EXECUTION_FAILED
  );
}
function predeployCause(failure: FailureSpec): PredeployJobRun_FailureCause {
  return (
    PredeployJobRun_FailureCause[failure.cause as keyof typeof PredeployJobRun_FailureCause] ??
    PredeployJobRun_FailureCause.EXECUTION_FAILED
  );
}
function postdeployCause(failure: FailureSpec): PostdeployJobRun_FailureCause {
  return (
    PostdeployJobRun_FailureCause[failure.cause as keyof typeof PostdeployJobRun_FailureCause] ??
    PostdeployJobRun_FailureCause.EXECUTION_FAILED
  );
}
