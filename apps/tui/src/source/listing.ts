// Fetching the list. A refresh re-reads from the first page up to as many runs as are loaded, so
// rows loaded by scrolling stay; further pages are fetched as the cursor nears the end.
import { type CallOptions, type JobRun, type JobRunService, MAX_PAGE_SIZE } from "@jobrun/core";

/** Runs per page when scrolling loads more. */
export const PAGE_SIZE = 100;

/** What is listed: the parent and the server-side filter and order. */
export interface ListingQuery {
  readonly parent: string;
  readonly filter: string;
  readonly orderBy: string;
}

export interface LoadedPage {
  readonly runs: readonly JobRun[];
  readonly nextPageToken: string;
}

/** The first `want` runs (at least one page), in as few calls as the server's page cap allows. */
export async function listFirst(
  service: Pick<JobRunService, "listJobRuns">,
  query: ListingQuery,
  want: number,
  options: CallOptions = {},
): Promise<LoadedPage> {
  const runs: JobRun[] = [];
  let pageToken = "";
  const target = Math.max(PAGE_SIZE, want);
  do {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, target - runs.length));
    const page = await service.listJobRuns({ ...query, pageSize, pageToken }, options);
    runs.push(...page.jobRuns);
    pageToken = page.nextPageToken;
  } while (pageToken !== "" && runs.length < target);
  return { runs, nextPageToken: pageToken };
}

/** The page after `pageToken`. */
export async function listNext(
  service: Pick<JobRunService, "listJobRuns">,
  query: ListingQuery,
  pageToken: string,
  pageSize = PAGE_SIZE,
  options: CallOptions = {},
): Promise<LoadedPage> {
  const page = await service.listJobRuns({ ...query, pageSize, pageToken }, options);
  return { runs: page.jobRuns, nextPageToken: page.nextPageToken };
}
