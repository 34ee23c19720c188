import type { JobRun } from "./gen/google/cloud/deploy/v1/jobrun_pb.js";
import type { CallOptions, JobRunService, ListJobRunsRequestInit } from "./service.js";

/**
 * Every JobRun of a listing, page after page, fetched lazily: the next page is asked for only when
 * the consumer has taken the current one, and nothing more is fetched once it breaks out.
 * Works on any JobRunService.
 */
export async function* listAllJobRuns(
  service: Pick<JobRunService, "listJobRuns">,
  request: ListJobRunsRequestInit,
  options: CallOptions = {},
): AsyncGenerator<JobRun, void, undefined> {
  let pageToken = request.pageToken ?? "";
  do {
    const page = await service.listJobRuns({ ...request, pageToken }, options);
    yield* page.jobRuns;
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
}
