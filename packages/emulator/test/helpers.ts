import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ApiError, encodeJson, type JobRun, JobRun_State, type JobRunJson, JobRunSchema } from "@jobrun/core";
import { expect } from "vitest";

export const ROLLOUT = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o";

/** A minimal valid run. */
export function run(
  id: string,
  init: Partial<Parameters<typeof create<typeof JobRunSchema>>[1]> = {},
  parent = ROLLOUT,
): JobRun {
  return create(JobRunSchema, {
    name: `${parent}/jobRuns/${id}`,
    uid: `uid-${id}`,
    state: JobRun_State.SUCCEEDED,
    createTime: timestampFromMs(Date.UTC(2025, 0, 1)),
    ...init,
  } as MessageInitShape<typeof JobRunSchema>);
}

export function doc(...runs: JobRun[]): { jobRuns: JobRunJson[] } {
  return { jobRuns: runs.map((r) => encodeJson(JobRunSchema, r) as JobRunJson) };
}

/** Runs `fn` and returns the ApiError it throws (failing the test if it does not). */
export function thrownBy(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected an ApiError, but nothing was thrown");
}

export async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected an ApiError, but the call succeeded");
}
