import { ApiError } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import type { AccessToken } from "./token-cache.js";

/** Google's OAuth 2 token endpoint. */
export const GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token";

/** One request to a token endpoint, and where the token comes from, for messages. */
export interface TokenRequest {
  readonly fetch: FetchFunction;
  readonly url: string;
  readonly init: RequestInit;
  /** Who asks, for messages: "service account x@y.iam.gserviceaccount.com". */
  readonly source: string;
  readonly now: number;
  /** What the endpoint is, for messages; default "the token endpoint". */
  readonly endpointName?: string;
}

/**
 * Asks a token endpoint (OAuth 2, Google's STS or the metadata server, which answer alike) for a
 * token. Failures say which source failed and why, with the endpoint's own error code, never the
 * request body (which holds a signed assertion, a refresh token or a subject token) nor the token.
 */
export async function requestAccessToken(request: TokenRequest, signal: AbortSignal): Promise<AccessToken> {
  const body = await fetchTokenJson(request, signal);
  const { access_token: token, expires_in: expiresIn } = body;
  if (typeof token !== "string" || token === "") {
    throw new ApiError(
      "UNAUTHENTICATED",
      `${request.source}: ${endpointName(request)}'s answer has no access_token`,
    );
  }
  const seconds = typeof expiresIn === "number" ? expiresIn : Number(expiresIn ?? 3600);
  return { token, expiresAt: request.now + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
}

/**
 * Sends a token request and returns its JSON answer. A failure is UNAVAILABLE when retrying later may
 * help (no connection, 5xx, 429), else UNAUTHENTICATED, with the endpoint's reason: an OAuth
 * `error`/`error_description` or a google.rpc.Status `message` (iamcredentials answers that way).
 */
export async function fetchTokenJson(
  request: TokenRequest,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, { ...request.init, signal });
    text = await response.text();
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new ApiError(
      "UNAVAILABLE",
      `${request.source}: could not reach ${endpointName(request)} ${request.url}`,
      {
        cause,
      },
    );
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Reported below from the status; a body that is not JSON says nothing more.
  }
  if (!response.ok) {
    const reason = errorReason(body);
    const code = response.status >= 500 || response.status === 429 ? "UNAVAILABLE" : "UNAUTHENTICATED";
    throw new ApiError(
      code,
      `${request.source}: ${endpointName(request)} answered HTTP ${response.status}${reason === "" ? "" : ` (${reason})`}`,
    );
  }
  return body;
}

function endpointName(request: TokenRequest): string {
  return request.endpointName ?? "the token endpoint";
}

// OAuth (RFC 6749 §5.2): {"error", "error_description"}; Google APIs: {"error": {"message", "status"}}.
function errorReason(body: Record<string, unknown>): string {
  const { error, error_description: description } = body;
  if (typeof error === "object" && error !== null) {
    const { status, message } = error as Record<string, unknown>;
    return [status, message].filter((part) => typeof part === "string" && part !== "").join(": ");
  }
  return [error, description].filter((part) => typeof part === "string" && part !== "").join(": ");
}
