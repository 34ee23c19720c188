import { readStreamBounded } from "@jobrun/core";
import { proxyError } from "../errors.js";

/** The largest request body the proxy reads: a terminate body is a few hundred bytes. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body as UTF-8 text, at most `limit` bytes. A declared Content-Length over the limit
 * is refused before reading; a chunked body is counted as it streams and abandoned the moment it
 * passes the limit, so a huge upload never sits in memory. Invalid UTF-8 is refused, not replaced;
 * a body cut off by the caller is CANCELLED (HTTP 499).
 */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const tooLarge = () =>
    proxyError(
      "INVALID_ARGUMENT",
      "REQUEST_BODY_TOO_LARGE",
      `the request body is larger than ${limit} bytes`,
      {
        httpStatus: 413,
      },
    );
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (request.body === null) return "";
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readStreamBounded(request.body, limit);
  } catch (cause) {
    // The caller closed the connection (or the runtime gave up on it) before the body's end: the
    // caller's doing, not the proxy's fault, so no 500 and no error-level log line.
    throw proxyError("CANCELLED", "REQUEST_BODY_CUT_OFF", "the request body ended before its declared end", {
      cause,
    });
  }
  if (bytes === undefined) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw proxyError("INVALID_ARGUMENT", "REQUEST_BODY_NOT_UTF8", "the request body is not valid UTF-8");
  }
}
