import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  GetJobRunRequestSchema,
  JobRun,
  ListJobRunsRequestSchema,
  ListJobRunsResponse,
  TerminateJobRunRequestSchema,
  TerminateJobRunResponse,
} from "./gen/google/cloud/deploy/v1/jobrun_pb.js";

/** Options every call of a JobRunService takes. */
export interface CallOptions {
  /** Aborts the call; it then rejects with a CANCELLED ApiError. */
  readonly signal?: AbortSignal;
  /** Gives up after this many milliseconds; the call then rejects with a DEADLINE_EXCEEDED ApiError. */
  readonly timeoutMs?: number;
}

/** A GetJobRunRequest as a plain object: `{ name }`. */
export type GetJobRunRequestInit = MessageInitShape<typeof GetJobRunRequestSchema>;
/** A ListJobRunsRequest as a plain object: `{ parent, pageSize?, pageToken?, filter?, orderBy? }`. */
export type ListJobRunsRequestInit = MessageInitShape<typeof ListJobRunsRequestSchema>;
/** A TerminateJobRunRequest as a plain object: `{ name, overrideDeployPolicy? }`. */
export type TerminateJobRunRequestInit = MessageInitShape<typeof TerminateJobRunRequestSchema>;

/**
 * The contract every jobrun backend honours: the three RPCs of Cloud Deploy's JobRun resource.
 * `@jobrun/client` implements it over REST, `@jobrun/emulator` in memory; the proxy serves any
 * implementation and the TUI renders any. Every failure is an ApiError.
 */
export interface JobRunService {
  /** Gets one JobRun. NOT_FOUND when there is none of that name. */
  getJobRun(request: GetJobRunRequestInit, options?: CallOptions): Promise<JobRun>;
  /** Lists one page of the JobRuns under a Rollout (AIP-158 paging, AIP-160 filter, AIP-132 order). */
  listJobRuns(request: ListJobRunsRequestInit, options?: CallOptions): Promise<ListJobRunsResponse>;
  /** Terminates an IN_PROGRESS JobRun. FAILED_PRECONDITION when it is in another state. */
  terminateJobRun(
    request: TerminateJobRunRequestInit,
    options?: CallOptions,
  ): Promise<TerminateJobRunResponse>;
}
