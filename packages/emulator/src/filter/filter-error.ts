import { ApiError, badRequest } from "@jobrun/core";

/** An INVALID_ARGUMENT for the filter, pointing at a 0-based offset (reported 1-based, as "column"). */
export function filterError(filter: string, offset: number, reason: string, field = "filter"): ApiError {
  const excerpt = filter.length > 120 ? `${filter.slice(0, 120)}…` : filter;
  const message = `invalid ${field} at column ${offset + 1}: ${reason} (in ${JSON.stringify(excerpt)})`;
  return new ApiError("INVALID_ARGUMENT", message, { details: [badRequest(field, message)] });
}
