// The OIDC token a Pub/Sub push subscription attaches (`--push-auth-service-account`): an ID token
// Google signs for the service account, with the audience the subscription names. Anyone can mint a
// Google ID token for any audience with their own account, so a deployment that knows its push
// service account should also pin it (`serviceAccount`): then only that account's pushes count.

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { proxyError } from "../errors.js";

/** Google's signing keys for its ID tokens. */
export const GOOGLE_OIDC_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";
/** The issuers Google's ID tokens carry (both spellings are in use). */
export const GOOGLE_OIDC_ISSUERS: readonly string[] = ["https://accounts.google.com", "accounts.google.com"];

export interface PushAuthOptions {
  /** The audience the push subscription was created with (`--push-auth-token-audience`). */
  readonly audience: string;
  /** Where the signing keys are: Google's by default; a local key set or URL in tests. */
  readonly jwks?: string | URL | JSONWebKeySet;
  /** When set, only tokens of this service account (verified email) are accepted. */
  readonly serviceAccount?: string;
  /** Allowed clock skew in seconds. Default 30. */
  readonly clockToleranceS?: number;
  /**
   * Fetch a remote key set as soon as the verifier is made, so the first push does not wait for a
   * round trip to Google for it. For a long-running server only: a Worker may not fetch outside a
   * request. A failure is logged, and the first push fetches again.
   */
  readonly prefetchKeys?: boolean;
}

/** Checks a push request's Authorization header; throws a 401 or 403 ApiError when it does not hold. */
export type PushVerifier = (authorization: string | null | undefined) => Promise<void>;

export function createPushVerifier(options: PushAuthOptions): PushVerifier {
  const jwks = options.jwks ?? GOOGLE_OIDC_JWKS_URL;
  const keys =
    typeof jwks === "string" || jwks instanceof URL
      ? remoteKeys(new URL(jwks), options.prefetchKeys === true)
      : createLocalJWKSet(jwks);
  const unauthenticated = (message: string) => proxyError("UNAUTHENTICATED", "PUSH_TOKEN_INVALID", message);
  const refused = (message: string) => proxyError("PERMISSION_DENIED", "PUSH_TOKEN_REFUSED", message);
  return async (authorization) => {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? "");
    if (match === null)
      throw unauthenticated("a Pub/Sub push needs an OIDC token: Authorization: Bearer <token>");
    let payload: JWTPayload;
    try {
      // The signature, the algorithm and the token's lifetime first: a token that fails them is no
      // Google token at all. The claims below say whether it is meant for this proxy.
      ({ payload } = await jwtVerify(match[1] as string, keys, {
        algorithms: ["RS256"],
        clockTolerance: options.clockToleranceS ?? 30,
        requiredClaims: ["exp", "iat"],
      }));
    } catch {
      throw unauthenticated("the push's OIDC token is not a valid Google ID token");
    }
    if (typeof payload.iss !== "string" || !GOOGLE_OIDC_ISSUERS.includes(payload.iss))
      throw refused("the push's OIDC token was not issued by Google");
    const audiences = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
    if (!audiences.includes(options.audience))
      throw refused("the push's OIDC token is meant for another audience");
    if (options.serviceAccount !== undefined) {
      const { email, email_verified: verified } = payload as { email?: unknown; email_verified?: unknown };
      if (email !== options.serviceAccount || verified !== true)
        throw refused("the push's OIDC token belongs to another service account");
    }
  };
}

/** Google's key set, fetched when first needed (or now, with `prefetch`) and refreshed as jose does. */
function remoteKeys(url: URL, prefetch: boolean): ReturnType<typeof createRemoteJWKSet> {
  const keys = createRemoteJWKSet(url, { timeoutDuration: 5000 });
  if (prefetch) {
    keys.reload().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(
        JSON.stringify({ level: "warn", msg: "Pub/Sub push keys not fetched yet", url: url.href, reason }),
      );
    });
  }
  return keys;
}
