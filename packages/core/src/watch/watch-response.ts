import { create, equals } from "@bufbuild/protobuf";
import { type JobRun, JobRunSchema } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import {
  type WatchJobRunsResponse,
  type WatchJobRunsResponse_Type,
  WatchJobRunsResponseSchema,
} from "../gen/jobrun/v1/watch_pb.js";

/**
 * Whether two copies of a run are the same version, the test every watch diffs by: Google gives
 * every version of a run its own etag; without one, the runs are compared field for field.
 */
export function sameJobRunVersion(a: JobRun, b: JobRun): boolean {
  if (a.etag !== "" || b.etag !== "") return a.etag === b.etag;
  return equals(JobRunSchema, a, b);
}

/** One event of a watch: its type and, except for SYNCED, the run it is about. */
export function watchResponse(type: WatchJobRunsResponse_Type, jobRun?: JobRun): WatchJobRunsResponse {
  return create(WatchJobRunsResponseSchema, jobRun === undefined ? { type } : { type, jobRun });
}
