import type { JobRun } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";

/** The kind of job a run executes: the case of JobRun's `job_run` oneof. */
export type JobKind =
  | "predeploy"
  | "deploy"
  | "verify"
  | "postdeploy"
  | "createChildRollout"
  | "advanceChildRollout";

/** Every job kind, in the order a rollout runs them. */
export const jobKinds: readonly JobKind[] = [
  "predeploy",
  "deploy",
  "verify",
  "postdeploy",
  "createChildRollout",
  "advanceChildRollout",
];

const kindByCase = {
  predeployJobRun: "predeploy",
  deployJobRun: "deploy",
  verifyJobRun: "verify",
  postdeployJobRun: "postdeploy",
  createChildRolloutJobRun: "createChildRollout",
  advanceChildRolloutJobRun: "advanceChildRollout",
} as const satisfies Record<NonNullable<JobRun["jobRun"]["case"]>, JobKind>;

/** The job kind of a run; `undefined` when the server set none (or one this schema does not know). */
export function jobKindOf(run: Pick<JobRun, "jobRun">): JobKind | undefined {
  const which = run.jobRun.case;
  return which === undefined ? undefined : kindByCase[which];
}

const labels: Readonly<Record<JobKind, string>> = {
  predeploy: "Predeploy",
  deploy: "Deploy",
  verify: "Verify",
  postdeploy: "Postdeploy",
  createChildRollout: "Create child rollout",
  advanceChildRollout: "Advance child rollout",
};

/** A short human label for a job kind, e.g. "Create child rollout". */
export function jobKindLabel(kind: JobKind | undefined): string {
  return kind === undefined ? "Unknown" : labels[kind];
}
