import {
  ApiError,
  type CodeName,
  type ErrorDetail,
  type ErrorFormat,
  isApiError,
  RETRY_INFO_TYPE,
} from "@jobrun/core";

/**
 * The ErrorInfo domain of what the proxy decides itself (auth, scopes, limits, its own faults and
 * those of its upstream connection), as opposed to `clouddeploy.googleapis.com`, the service's own.
 * A caller (gax's `err.domain`) can tell "the proxy refused" from "Cloud Deploy refused".
 */
export const PROXY_ERROR_DOMAIN = "jobrun-proxy";

/** Options of proxyError: those of ApiError without the domain, which is the proxy's. */
export interface ProxyErrorOptions {
  readonly details?: readonly ErrorDetail[];
  readonly httpStatus?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly retryDelayMs?: number;
  readonly cause?: unknown;
}

/** An error the proxy decides: its reason (UPPER_SNAKE_CASE) in the proxy's ErrorInfo domain. */
export function proxyError(
  code: CodeName,
  reason: string,
  message: string,
  options: ProxyErrorOptions = {},
): ApiError {
  return new ApiError(code, message, { ...options, reason, domain: PROXY_ERROR_DOMAIN });
}

/**
 * Turns anything thrown into the ApiError a caller may see. An ApiError passes as it is (its message
 * was written for callers); anything else is a bug or a runtime fault, so its text (which may hold a
 * stack or an upstream detail) is replaced by a generic INTERNAL.
 */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  return proxyError(
    "INTERNAL",
    "INTERNAL_ERROR",
    "internal error; the request id in x-request-id identifies it in the logs",
    { cause: error },
  );
}

const JSON_TYPE = "application/json; charset=utf-8";

/** How a caller asked for its answers to look: Google's `prettyPrint` and `$.xgafv`. */
export interface AnswerShape {
  readonly prettyPrint: boolean;
  readonly errorFormat: ErrorFormat;
}

/** Google's defaults: indented, the v2 error format. */
export const DEFAULT_ANSWER_SHAPE: AnswerShape = { prettyPrint: true, errorFormat: "2" };

/**
 * The answer shape a query asks for, read leniently: for an error raised before the RPC read its
 * system parameters (an unknown path, a refused caller), so `prettyPrint=false` and `$.xgafv=1` shape
 * every error as Google's do. A value the RPC would refuse keeps the default here.
 */
export function answerShapeOf(query: URLSearchParams): AnswerShape {
  const pretty = query.get("prettyPrint") ?? query.get("$prettyPrint");
  const format = query.get("$.xgafv");
  return {
    prettyPrint: !(pretty === "false" || pretty === "0"),
    errorFormat: format === "1" ? "1" : "2",
  };
}

/**
 * The google.rpc.Status response of an ApiError (`headers` as in `respond`), indented unless the
 * caller said `prettyPrint=false` (Google indents its errors too), in the `$.xgafv` format asked for.
 * A 429 or 503 says when to retry in Retry-After as well as in its RetryInfo, unless the headers
 * already do.
 */
export function errorResponse(
  error: ApiError,
  headers: Record<string, string> = {},
  shape: AnswerShape = DEFAULT_ANSWER_SHAPE,
): Response {
  const retryAfter = retryAfterSeconds(error);
  const body = error.toWireJson(shape.errorFormat);
  return new Response(JSON.stringify(body, null, shape.prettyPrint ? 2 : undefined), {
    status: error.httpStatus,
    headers: {
      "content-type": JSON_TYPE,
      ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
      ...headers,
    },
  });
}

/** The whole seconds of an error's RetryInfo (at least 1), for Retry-After; undefined without one. */
function retryAfterSeconds(error: ApiError): string | undefined {
  if (error.httpStatus !== 429 && error.httpStatus !== 503) return undefined;
  const delay = error.details.find((d) => d["@type"] === RETRY_INFO_TYPE)?.retryDelay;
  if (typeof delay !== "string") return undefined;
  const seconds = Number.parseFloat(delay);
  return Number.isFinite(seconds) ? String(Math.max(1, Math.ceil(seconds))) : undefined;
}
