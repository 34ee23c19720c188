// JWT callers. The algorithm, issuer and audience are fixed by configuration (never taken from the
// token), keys come from a JWKS (a URL jose fetches and caches, or a local key set), and the role and
// scopes are claims of the token.

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { proxyError } from "./errors.js";
import { parseScopes } from "./scopes.js";
import type { Caller } from "./types.js";

export type JwtAlgorithm = "RS256" | "ES256" | "EdDSA" | "PS256";

export interface JwtOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Where the signing keys are: a JWKS URL, or the key set itself. */
  readonly jwks: string | URL | JSONWebKeySet;
  /** The one algorithm accepted. Default RS256. */
  readonly algorithm?: JwtAlgorithm;
  /** Allowed clock skew in seconds. Default 30. */
  readonly clockToleranceS?: number;
  /**
   * Reads the caller's grants from the verified claims. Default: `role` ("reader" | "operator"),
   * `scopes` (array, or a space-separated string) and `override_deploy_policy` (boolean).
   */
  readonly grants?: (payload: JWTPayload) => Omit<Caller, "id">;
}

/** Verifies a token and returns its caller; throws UNAUTHENTICATED or PERMISSION_DENIED ApiErrors. */
export type JwtVerifier = (token: string) => Promise<Caller>;

export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  const keys =
    typeof options.jwks === "string" || options.jwks instanceof URL
      ? createRemoteJWKSet(new URL(options.jwks), { timeoutDuration: 5000 })
      : createLocalJWKSet(options.jwks);
  const grants = options.grants ?? defaultGrants;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [options.algorithm ?? "RS256"],
        clockTolerance: options.clockToleranceS ?? 30,
        requiredClaims: ["sub", "exp"],
      }));
    } catch {
      // jose's reason (expired, bad signature, wrong audience) is not for the caller to probe with.
      throw proxyError("UNAUTHENTICATED", "CREDENTIALS_INVALID", "the bearer token is not valid");
    }
    return { id: `jwt:${options.issuer}#${payload.sub}`, ...grants(payload) };
  };
}

function defaultGrants(payload: JWTPayload): Omit<Caller, "id"> {
  const { role, scopes, override_deploy_policy: override } = payload as Record<string, unknown>;
  if (role !== "reader" && role !== "operator") {
    throw proxyError(
      "PERMISSION_DENIED",
      "TOKEN_GRANTS_NO_ROLE",
      `the token grants no role (claim "role" must be "reader" or "operator")`,
    );
  }
  const list = typeof scopes === "string" ? scopes.split(" ").filter(Boolean) : scopes;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string")) {
    throw proxyError(
      "PERMISSION_DENIED",
      "TOKEN_GRANTS_NO_SCOPES",
      `the token grants no scopes (claim "scopes")`,
    );
  }
  try {
    parseScopes(list);
  } catch (error) {
    throw proxyError(
      "PERMISSION_DENIED",
      "TOKEN_SCOPES_INVALID",
      `the token's scopes are not valid: ${(error as Error).message}`,
    );
  }
  return { role, scopes: list, overrideDeployPolicy: override === true };
}
