import { ApiError, isApiError } from "@jobrun/core";

/**
 * Turns anything thrown into the ApiError a caller may see. An ApiError passes as it is (its message
 * was written for callers); anything else is a bug or a runtime fault, so its text (which may hold a
 * stack or an upstream detail) is replaced by a generic INTERNAL.
 */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  return new ApiError(
    "INTERNAL",
    "internal error; the request id in x-request-id identifies it in the logs",
    {
      cause: error,
    },
  );
}

/** The google.rpc.Status response of an ApiError (`headers` as in `respond`). */
export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(error.toJSON()), {
    status: error.httpStatus,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
