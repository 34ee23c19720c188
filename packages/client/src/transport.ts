import { ApiError, RESOURCE_INFO_TYPE, readStreamBounded, resourceInfo } from "@jobrun/core";
import { parseRetryAfter, setRetryAfter } from "./retry.js";

/** The fetch the client calls: the global one, or any with the same shape (a test double, undici). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The default cap on a response body. A JobRun is a few KiB and a page of 1,000 of them a few MiB;
 * anything near this is not an answer of this API, and reading it whole would exhaust the heap.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** One HTTP request of one RPC, and what errors should say about it. */
export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The RPC, for messages: "GetJobRun". */
  readonly rpc: string;
  /** The resource the call is about (name or parent), for messages and ResourceInfo. */
  readonly resourceName: string;
  /** The largest response body read; a larger one fails the call (not retried). */
  readonly maxResponseBytes: number;
}

/** One HTTP answer, as received. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array<ArrayBuffer>;
}

// The answer an error was made from travels with the error (through the retry loop) to whoever
// wants the server's own bytes: a proxy handing Google's error on unchanged.
const answerByError = new WeakMap<ApiError, HttpAnswer>();

/** The server's answer an ApiError was read from; undefined for an error no server sent (a failed connection). */
export function answerOf(error: ApiError): HttpAnswer | undefined {
  return answerByError.get(error);
}

const utf8 = new TextDecoder();

/**
 * Sends one attempt and returns the body text of a 2xx answer. Every failure is an ApiError:
 * a non-2xx answer is the server's error (with the resource it concerns); a failed connection or a
 * body cut off mid-way is UNAVAILABLE (so get and list retry it); the signal's abort is its reason
 * (CANCELLED or DEADLINE_EXCEEDED).
 *
 * Two answers fail without being retried, as UNKNOWN: a body larger than `maxResponseBytes` (read
 * no further than that, so memory stays bounded), and a redirect. Redirects are never followed:
 * following one would resend the request, a terminate included, to wherever the server points, and
 * report that host's answer as the API's. (`redirect: "manual"` rather than `"error"`: workerd
 * refuses `"error"`, and a rejected fetch could not be told apart from a network failure.)
 */
export async function sendHttpCall(
  fetchFunction: FetchFunction,
  call: HttpCall,
  signal: AbortSignal,
  now: () => number,
): Promise<string> {
  return utf8.decode((await exchangeHttpCall(fetchFunction, call, signal, now)).body);
}

/**
 * Sends one attempt and returns a 2xx answer as received (bytes and headers); fails as
 * sendHttpCall does, and an error made from a non-2xx answer carries that answer (answerOf).
 */
export async function exchangeHttpCall(
  fetchFunction: FetchFunction,
  call: HttpCall,
  signal: AbortSignal,
  now: () => number,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetchFunction(call.url, {
      method: call.method,
      headers: call.headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      redirect: "manual",
      signal,
    });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new ApiError(
      "UNAVAILABLE",
      `${call.rpc} ${call.resourceName}: could not reach ${new URL(call.url).origin} (${describeNetworkError(cause)})`,
      { cause },
    );
  }
  if (isRedirect(response)) {
    discard(response);
    throw new ApiError(
      "UNKNOWN",
      `${call.rpc} ${call.resourceName}: ${new URL(call.url).origin} answered with a redirect (HTTP ${response.status}), which the client does not follow`,
    );
  }
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBody(response, call.maxResponseBytes);
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    if (cause instanceof ResponseTooLarge) {
      throw new ApiError(
        "UNKNOWN",
        `${call.rpc} ${call.resourceName}: the response body is larger than ${call.maxResponseBytes} bytes (maxResponseBytes), so it was not read`,
      );
    }
    if (!response.ok) throw errorFromResponse(call, response, new Uint8Array(0), now);
    throw new ApiError(
      "UNAVAILABLE",
      `${call.rpc} ${call.resourceName}: the connection failed while reading the response body (${describeNetworkError(cause)})`,
      { cause },
    );
  }
  if (!response.ok) throw errorFromResponse(call, response, body, now);
  return { status: response.status, headers: response.headers, body };
}

/** A 3xx, or what a browser's fetch makes of one under `redirect: "manual"`. */
function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
}

/** Lets the connection go without reading a body nobody will use. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

class ResponseTooLarge extends Error {}

/**
 * The body, read chunk by chunk and abandoned as soon as it passes `limit` bytes (a declared
 * Content-Length past it is refused before reading at all), so a huge answer costs at most `limit`.
 */
async function readBody(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    discard(response);
    throw new ResponseTooLarge();
  }
  const stream = response.body;
  if (stream === null) return new Uint8Array(0);
  const body = await readStreamBounded(stream, limit);
  if (body === undefined) throw new ResponseTooLarge();
  return body;
}

function errorFromResponse(
  call: HttpCall,
  response: Response,
  body: Uint8Array<ArrayBuffer>,
  now: () => number,
): ApiError {
  const parsed = ApiError.fromResponseText(utf8.decode(body), response.status);
  // Google names the resource in most messages, but not all; a ResourceInfo detail says it always,
  // in a form a program can read (see resourceNameOf).
  const named = parsed.details.some((detail) => detail["@type"] === RESOURCE_INFO_TYPE);
  const error = named
    ? parsed
    : new ApiError(parsed.code, parsed.message, {
        httpStatus: parsed.httpStatus,
        details: [...parsed.details, resourceInfo(call.resourceName)],
        verbatim: true,
        ...(parsed.cause === undefined ? {} : { cause: parsed.cause }),
      });
  answerByError.set(error, { status: response.status, headers: response.headers, body });
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), now());
  return retryAfter === undefined ? error : setRetryAfter(error, retryAfter);
}

/** The resource an ApiError is about, from its google.rpc.ResourceInfo detail. */
export function resourceNameOf(error: ApiError): string | undefined {
  const detail = error.details.find((d) => d["@type"] === RESOURCE_INFO_TYPE);
  return typeof detail?.resourceName === "string" ? detail.resourceName : undefined;
}

// undici hides the useful part (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET) in `cause`.
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${current.message} [${code}]` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(": ") : String(error);
}
