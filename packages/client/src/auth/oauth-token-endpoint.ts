import { ApiError } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import type { AccessToken } from "./token-cache.js";

/** Google's OAuth 2 token endpoint. */
export const GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token";

/** Where a token comes from, for messages: "service account x@y.iam.gserviceaccount.com". */
export interface TokenRequest {
  readonly fetch: FetchFunction;
  readonly url: string;
  readonly init: RequestInit;
  readonly source: string;
  readonly now: number;
}

/**
 * Asks a token endpoint (OAuth 2 or the metadata server, which answer alike) for a token. Failures
 * say which source failed and why, with the endpoint's own error code, never the request body
 * (which holds a signed assertion or a refresh token) nor the answer's token.
 */
export async function requestAccessToken(request: TokenRequest, signal: AbortSignal): Promise<AccessToken> {
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, { ...request.init, signal });
    text = await response.text();
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new ApiError(
      "UNAVAILABLE",
      `${request.source}: could not reach the token endpoint ${request.url}`,
      { cause },
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
    const reason = [body.error, body.error_description].filter((part) => typeof part === "string").join(": ");
    const code = response.status >= 500 || response.status === 429 ? "UNAVAILABLE" : "UNAUTHENTICATED";
    throw new ApiError(
      code,
      `${request.source}: the token endpoint answered HTTP ${response.status}${reason === "" ? "" : ` (${reason})`}`,
    );
  }
  const { access_token: token, expires_in: expiresIn } = body;
  if (typeof token !== "string" || token === "") {
    throw new ApiError(
      "UNAUTHENTICATED",
      `${request.source}: the token endpoint's answer has no access_token`,
    );
  }
  const seconds = typeof expiresIn === "number" ? expiresIn : Number(expiresIn ?? 3600);
  return { token, expiresAt: request.now + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
}
