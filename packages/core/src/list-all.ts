import { ApiError } from "./errors/api-error.js";
import type { JobRun } from "./gen/google/cloud/deploy/v1/jobrun_pb.js";
import type { CallOptions, JobRunService, ListJobRunsRequestInit } from "./service.js";

/**
 * Every JobRun of a listing, page after page, fetched lazily: the next page is asked for only when
 * the consumer has taken the current one, and nothing more is fetched once it breaks out.
 * Works on any JobRunService.
 *
 * A server that hands out a page token it handed out before (a bug, or a cursor that does not
 * advance) would make this loop forever; the repeat is detected and fails with UNKNOWN instead.
 */
export async function* listAllJobRuns(
  service: Pick<JobRunService, "listJobRuns">,
  request: ListJobRunsRequestInit,
  options: CallOptions = {},
): AsyncGenerator<JobRun, void, undefined> {
  let pageToken = request.pageToken ?? "";
  // Tokens are opaque and usually short; a listing has few enough pages to remember them all.
  const seen = new Set<string>([pageToken]);
  for (let page = 1; ; page += 1) {
    const response = await service.listJobRuns({ ...request, pageToken }, options);
    yield* response.jobRuns;
    pageToken = response.nextPageToken;
    if (pageToken === "") return;
    if (seen.has(pageToken)) {
      throw new ApiError(
        "UNKNOWN",
        `ListJobRuns ${request.parent ?? ""}: page ${page} returned a nextPageToken already used in this listing; ` +
          "stopping rather than fetching the same pages forever",
      );
    }
    seen.add(pageToken);
  }
}
