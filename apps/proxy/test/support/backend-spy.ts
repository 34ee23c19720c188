import type { JobRunService } from "@jobrun/core";

/** Wraps a service and counts the calls that reach it: authorization must stop a call before it. */
export function spyOn(service: JobRunService): JobRunService & { calls: number } {
  const spy = {
    calls: 0,
    getJobRun: (...args: Parameters<JobRunService["getJobRun"]>) => {
      spy.calls += 1;
      return service.getJobRun(...args);
    },
    listJobRuns: (...args: Parameters<JobRunService["listJobRuns"]>) => {
      spy.calls += 1;
      return service.listJobRuns(...args);
    },
    terminateJobRun: (...args: Parameters<JobRunService["terminateJobRun"]>) => {
      spy.calls += 1;
      return service.terminateJobRun(...args);
    },
  };
  return spy;
}
