import { ApiError, badRequest, quote } from "@jobrun/core";

/** An INVALID_ARGUMENT for the filter, pointing at a 0-based offset (reported 1-based, as "column"). */
export function filterError(filter: string, offset: number, reason: string, field = "filter"): ApiError {
  const message = `invalid ${field} at column ${offset + 1}: ${reason} (in ${quote(filter, 121)})`;
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest(field, message)],
    reason: "INVALID_FILTER",
  });
}
