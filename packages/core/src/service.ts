import type { MessageShape } from "@bufbuild/protobuf";
import type {
  CloudDeployMethods,
  JobRunWatchMethods,
  MethodName,
  OutputSchemaOf,
  RequestInitOf,
  WatchMethodName,
} from "./rpc/methods.js";

/** Options every call of a JobRunService takes. */
export interface CallOptions {
  /** Aborts the call; it then rejects with a CANCELLED ApiError. */
  readonly signal?: AbortSignal;
  /** Gives up after this many milliseconds; the call then rejects with a DEADLINE_EXCEEDED ApiError. */
  readonly timeoutMs?: number;
}

/** A GetJobRunRequest as a plain object: `{ name }`. */
export type GetJobRunRequestInit = RequestInitOf<"getJobRun">;
/** A ListJobRunsRequest as a plain object: `{ parent, pageSize?, pageToken?, filter?, orderBy? }`. */
export type ListJobRunsRequestInit = RequestInitOf<"listJobRuns">;
/** A TerminateJobRunRequest as a plain object: `{ name, overrideDeployPolicy? }`. */
export type TerminateJobRunRequestInit = RequestInitOf<"terminateJobRun">;

/** One method of a JobRunService: its request as a plain object in, its response message out. */
export type ServiceMethod<M extends MethodName> = CloudDeployMethods[M]["methodKind"] extends "unary"
  ? (request: RequestInitOf<M>, options?: CallOptions) => Promise<MessageShape<OutputSchemaOf<M>>>
  : never;

/**
 * The contract every jobrun backend honours: one method per RPC of the CloudDeploy service in the
 * schema (today getJobRun, listJobRuns, terminateJobRun), mapped from the generated descriptor, so a
 * method added to the proto is a method every implementation must have. `@jobrun/client` implements
 * it over REST, `@jobrun/emulator` in memory; the proxy serves any implementation and the TUI renders
 * any. Every failure is an ApiError: getJobRun is NOT_FOUND when there is no run of that name,
 * listJobRuns pages (AIP-158), filters (AIP-160) and orders (AIP-132) the runs under a Rollout,
 * terminateJobRun is FAILED_PRECONDITION for a run that is not IN_PROGRESS.
 */
export type JobRunService = { [M in keyof CloudDeployMethods]: ServiceMethod<M> };

/** Options of a streaming call: only cancellation (a stream has no overall deadline of its own). */
export interface WatchOptions {
  /** Ends the stream: the iterator returns (no error) and everything it held is released. */
  readonly signal?: AbortSignal;
}

/** A WatchJobRunsRequest as a plain object: `{ parent, filter? }`. */
export type WatchJobRunsRequestInit = RequestInitOf<"watchJobRuns">;

/** One streaming method of a JobRunWatchService: its request in, an async iterable of its responses out. */
export type StreamingServiceMethod<M extends WatchMethodName> =
  JobRunWatchMethods[M]["methodKind"] extends "server_streaming"
    ? (request: RequestInitOf<M>, options?: WatchOptions) => AsyncIterable<MessageShape<OutputSchemaOf<M>>>
    : never;

/**
 * jobrun's live watch, one method per RPC of the JobRunWatch service in `proto/jobrun/v1/watch.proto`
 * (today watchJobRuns). Kept apart from JobRunService: Google's endpoint has no watch, so a backend
 * may offer it or not. `watchJobRuns({ parent, filter })` yields an EXISTING response per run that
 * matches, one SYNCED, then ADDED / CHANGED / REMOVED as runs change, until the signal aborts (the
 * iterator then returns) or `break` ends the loop; every failure is an ApiError (a bad parent or
 * filter is INVALID_ARGUMENT before anything is yielded).
 */
export type JobRunWatchService = { [M in WatchMethodName]: StreamingServiceMethod<M> };
