import { ApiError, parseRfc3339 } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import { fetchTokenJson } from "./oauth-token-endpoint.js";
import type { AccessToken } from "./token-cache.js";

/** An impersonation: the caller's token buys a token of another service account. */
export interface GenerateAccessTokenRequest {
  readonly fetch: FetchFunction;
  /** `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/<email>:generateAccessToken` */
  readonly url: string;
  /** The token of the identity that impersonates (it needs roles/iam.serviceAccountTokenCreator). */
  readonly sourceToken: string;
  readonly scopes: readonly string[];
  /** Service accounts in the delegation chain, by email or as `projects/-/serviceAccounts/<email>`. */
  readonly delegates?: readonly string[];
  readonly lifetimeSeconds: number;
  /** Who asks, for messages. */
  readonly source: string;
  readonly now: number;
}

/**
 * Calls IAM Credentials' generateAccessToken. Its answer is `{accessToken, expireTime}` (RFC 3339),
 * not OAuth's `{access_token, expires_in}`; its errors are google.rpc.Status, whose message says
 * which permission is missing.
 */
export async function generateAccessToken(
  request: GenerateAccessTokenRequest,
  signal: AbortSignal,
): Promise<AccessToken> {
  const body = await fetchTokenJson(
    {
      fetch: request.fetch,
      url: request.url,
      init: {
        method: "POST",
        headers: {
          authorization: `Bearer ${request.sourceToken}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({
          ...(request.delegates === undefined || request.delegates.length === 0
            ? {}
            : { delegates: request.delegates.map(delegateName) }),
          scope: request.scopes,
          lifetime: `${request.lifetimeSeconds}s`,
        }),
      },
      source: request.source,
      now: request.now,
      endpointName: "IAM generateAccessToken",
    },
    signal,
  );
  const { accessToken, expireTime } = body;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw new ApiError(
      "UNAUTHENTICATED",
      `${request.source}: IAM generateAccessToken's answer has no accessToken`,
    );
  }
  const expires = typeof expireTime === "string" ? parseRfc3339(expireTime) : undefined;
  return {
    token: accessToken,
    expiresAt:
      expires === undefined
        ? request.now + request.lifetimeSeconds * 1000
        : expires.seconds * 1000 + Math.floor(expires.nanos / 1e6),
  };
}

// gcloud writes delegates as emails; the API wants resource names.
function delegateName(delegate: string): string {
  return delegate.startsWith("projects/") ? delegate : `projects/-/serviceAccounts/${delegate}`;
}
