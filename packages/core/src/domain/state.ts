import { type JobRun, JobRun_State, JobRun_StateSchema } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import { enumValueName } from "./enum-name.js";

/** Whether a run has finished for good: SUCCEEDED, FAILED or TERMINATED never change again. */
export function isTerminal(state: JobRun_State): boolean {
  return (
    state === JobRun_State.SUCCEEDED || state === JobRun_State.FAILED || state === JobRun_State.TERMINATED
  );
}

/** Whether a run is still moving: IN_PROGRESS or TERMINATING. */
export function isActive(state: JobRun_State): boolean {
  return state === JobRun_State.IN_PROGRESS || state === JobRun_State.TERMINATING;
}

/** Whether TerminateJobRun may be asked of this run: only an IN_PROGRESS run can be terminated. */
export function canTerminate(run: Pick<JobRun, "state">): boolean {
  return run.state === JobRun_State.IN_PROGRESS;
}

/** The state's enum name, e.g. "IN_PROGRESS"; "STATE_7" for a value this schema does not know. */
export function stateName(state: JobRun_State): string {
  return enumValueName(JobRun_StateSchema, state);
}
