// Reading an import document `{"jobRuns":[ …proto3 JSON… ]}`. Every entry is checked before anything
// is stored: the first problem is reported with its entry index and field path, and nothing is loaded.

import {
  ApiError,
  badRequest,
  decodeJson,
  isApiError,
  type JobRun,
  JobRun_State,
  JobRunSchema,
  parseJobRunName,
} from "@jobrun/core";

/** Decodes and validates an import document; throws INVALID_ARGUMENT naming `jobRuns[i].field`. */
export function decodeImportDocument(document: unknown): JobRun[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw importError(
      "",
      `an import document must be an object such as {"jobRuns":[…]}, got ${describe(document)}`,
    );
  }
  for (const key of Object.keys(document)) {
    if (key !== "jobRuns")
      throw importError(key, `unknown field "${key}"; an import document has only "jobRuns"`);
  }
  const entries = (document as { jobRuns?: unknown }).jobRuns;
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw importError("jobRuns", `expected an array, got ${describe(entries)}`);

  const firstIndexByName = new Map<string, number>();
  return entries.map((entry, index) => {
    const path = `jobRuns[${index}]`;
    const run = decodeJson(JobRunSchema, entry, { path });
    if (run.name === "") throw importError(`${path}.name`, "a job run needs a name");
    try {
      parseJobRunName(run.name, { field: `${path}.name` });
    } catch (error) {
      if (isApiError(error)) throw importError(`${path}.name`, error.message);
      throw error;
    }
    if (run.state === JobRun_State.STATE_UNSPECIFIED) {
      throw importError(
        `${path}.state`,
        "a job run needs a state (IN_PROGRESS, SUCCEEDED, FAILED, TERMINATING or TERMINATED)",
      );
    }
    if (JobRun_State[run.state] === undefined)
      throw importError(`${path}.state`, `${run.state} is not a JobRun state`);
    const earlier = firstIndexByName.get(run.name);
    if (earlier !== undefined)
      throw importError(`${path}.name`, `${JSON.stringify(run.name)} is already used by jobRuns[${earlier}]`);
    firstIndexByName.set(run.name, index);
    return run;
  });
}

function importError(path: string, reason: string): ApiError {
  const message =
    path === "" ? `invalid import document: ${reason}` : `invalid import document at ${path}: ${reason}`;
  return new ApiError("INVALID_ARGUMENT", message, { details: [badRequest(path, reason)] });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}
