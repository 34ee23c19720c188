// Expectations computed from the fixture alone, independently of any implementation.

import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { type JobRun, type JobRunJson, JobRunSchema } from "@jobrun/core";

export function decodeFixture(jobRuns: readonly JobRunJson[]): JobRun[] {
  return jobRuns.map((json) => fromJson(JobRunSchema, json as JsonValue));
}

/** The fixture runs under a parent (AIP-159 `-` matches any segment value). */
export function runsUnder(runs: readonly JobRun[], parent: string): JobRun[] {
  const want = parent.split("/");
  return runs.filter((run) => {
    const have = run.name.split("/").slice(0, want.length);
    return want.every((segment, i) => segment === "-" || segment === have[i]);
  });
}

export function namesOf(runs: readonly { name: string }[]): string[] {
  return runs.map((run) => run.name);
}

export function sortedNames(runs: readonly { name: string }[]): string[] {
  return namesOf(runs).sort();
}

export function createMs(run: JobRun): number {
  return run.createTime === undefined ? Number.NEGATIVE_INFINITY : timestampMs(run.createTime);
}
