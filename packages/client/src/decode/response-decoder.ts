import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { ApiError, decodeJson, isApiError, quote } from "@jobrun/core";
import { readMessageFast } from "./fast-json-reader.js";

/**
 * Reads a 2xx body as the RPC's response message. Fields this schema does not know are ignored (a
 * newer API adds some); a field of the wrong type is refused with its path. A body that is not
 * the message is the server's fault, not the caller's, so it is UNKNOWN rather than INVALID_ARGUMENT.
 */
export function decodeResponse<Desc extends DescMessage>(
  schema: Desc,
  text: string,
  context: string,
): MessageShape<Desc> {
  if (text.trim() === "") {
    throw new ApiError(
      "UNKNOWN",
      `${context}: the response body is empty (expected a ${schema.name} as JSON)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const reason = looksTruncated(cause)
      ? `the response body is truncated: the JSON ends early after ${text.length} characters`
      : `the response body is not JSON: ${quote(text, 80)}`;
    throw new ApiError("UNKNOWN", `${context}: ${reason}`, { cause });
  }
  const fast = readMessageFast(schema, json);
  if (fast !== undefined) return fast;
  try {
    return decodeJson(schema, json, { ignoreUnknownFields: true });
  } catch (error) {
    if (!isApiError(error)) throw error;
    throw new ApiError(
      "UNKNOWN",
      `${context}: the response is not a valid ${schema.name}: ${error.message}`,
      {
        details: error.details,
        cause: error,
      },
    );
  }
}

// V8 (Node, workerd, Deno, Chrome) and SpiderMonkey word a premature end differently.
function looksTruncated(error: unknown): boolean {
  return (
    error instanceof Error && /end of (JSON input|data)|unterminated|unexpected eof/i.test(error.message)
  );
}
