import { JobRun_State, WatchJobRunsResponse_Type as Type, type WatchJobRunsResponse } from "@jobrun/core";

/** What a watch test reads of a response: its type, and the run's id and state ("CHANGED r1 TERMINATING"). */
export function briefWatchResponse(response: WatchJobRunsResponse): string {
  const type = Type[response.type];
  const jobRun = response.jobRun;
  if (jobRun === undefined) return type;
  return `${type} ${jobRun.name.slice(jobRun.name.lastIndexOf("/") + 1)} ${JobRun_State[jobRun.state]}`;
}

/**
 * Pulls a watch's responses one at a time as briefs ("END" once it ends), failing a test that waits
 * for one that never comes instead of hanging it.
 */
export function watchReader(iterable: AsyncIterable<WatchJobRunsResponse>, defaultTimeoutMs = 3000) {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    iterator,
    async next(timeoutMs = defaultTimeoutMs): Promise<string> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([iterator.next(), timeout]);
        return result.done ? "END" : briefWatchResponse(result.value);
      } finally {
        clearTimeout(timer);
      }
    },
    async take(count: number): Promise<string[]> {
      const out: string[] = [];
      for (let i = 0; i < count; i += 1) out.push(await this.next());
      return out;
    },
  };
}
