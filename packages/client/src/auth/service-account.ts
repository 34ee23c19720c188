import { ApiError, type Clock, systemClock } from "@jobrun/core";
import { CompactSign, importPKCS8 } from "jose";
import type { FetchFunction } from "../transport.js";
import { checkUniverseDomain, DEFAULT_UNIVERSE_DOMAIN } from "../universe.js";
import { type AuthProvider, CLOUD_PLATFORM_SCOPE } from "./auth-provider.js";
import { GOOGLE_TOKEN_ENDPOINT, requestAccessToken } from "./oauth-token-endpoint.js";
import { parseServiceAccountKey, type ServiceAccountKey } from "./service-account-key.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

export interface ServiceAccountOptions extends TokenCacheOptions {
  /** OAuth scopes; default cloud-platform. */
  readonly scopes?: readonly string[];
  /** The token endpoint; default the key's token_uri, else Google's. Tests point it at a fake. */
  readonly tokenEndpoint?: string;
  /**
   * The universe the account lives in; default the key's `universe_domain`, else "googleapis.com".
   * Outside googleapis.com there is no OAuth token endpoint: the token is a self-signed JWT.
   */
  readonly universeDomain?: string;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** How long the signed assertion is valid: Google accepts at most one hour. */
const ASSERTION_LIFETIME_S = 3600;

/**
 * A service account key (the JSON file, as text or parsed). In googleapis.com tokens come from the
 * OAuth 2 JWT-bearer flow (RFC 7523); in another universe the signed JWT itself, with a `scope`
 * claim, is the token (AIP-4111), as Google's auth libraries do there. The RS256 signature is made
 * with WebCrypto through jose, so it works on Workers, Deno, Bun and browsers as well as Node. The
 * key is checked now; it is imported on first use.
 */
export function serviceAccountKey(
  key: ServiceAccountKey | string,
  options: ServiceAccountOptions = {},
): AuthProvider {
  const parsed = parseServiceAccountKey(key);
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const tokenEndpoint = options.tokenEndpoint ?? parsed.token_uri ?? GOOGLE_TOKEN_ENDPOINT;
  const universeDomain = checkUniverseDomain(
    options.universeDomain ?? parsed.universe_domain ?? DEFAULT_UNIVERSE_DOMAIN,
    "the service account's universe_domain",
  );
  const scope = (options.scopes ?? [CLOUD_PLATFORM_SCOPE]).join(" ");
  const source = `service account ${parsed.client_email}`;
  let signingKey: Promise<CryptoKey> | undefined;

  const importKey = () =>
    importPKCS8(parsed.private_key, "RS256").catch(() => {
      // jose's message is generic, but nothing from the key may reach an error: no cause either.
      signingKey = undefined;
      throw new ApiError("INVALID_ARGUMENT", `${source}: private_key is not a valid RSA PKCS#8 key`);
    });

  // CompactSign rather than SignJWT: the claims are fixed and simple, and the JWT helpers would add
  // a few KB of claim validation to every edge bundle.
  const sign = async (claims: Record<string, unknown>) => {
    signingKey ??= importKey();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({
        alg: "RS256",
        typ: "JWT",
        ...(parsed.private_key_id ? { kid: parsed.private_key_id } : {}),
      })
      .sign(await signingKey);
  };

  const provider = cachedTokenProvider(
    async (signal) => {
      const now = clock.now();
      const issuedAt = Math.floor(now / 1000);
      const expiresAt = issuedAt + ASSERTION_LIFETIME_S;
      if (universeDomain !== DEFAULT_UNIVERSE_DOMAIN) {
        // A self-signed JWT access token carries scope and no aud (AIP-4111: never both).
        const claims = {
          iss: parsed.client_email,
          sub: parsed.client_email,
          scope,
          iat: issuedAt,
          exp: expiresAt,
        };
        return { token: await sign(claims), expiresAt: expiresAt * 1000 };
      }
      const claims = { iss: parsed.client_email, scope, aud: tokenEndpoint, iat: issuedAt, exp: expiresAt };
      const body = new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: await sign(claims),
      });
      return requestAccessToken(
        {
          fetch: fetchFunction,
          url: tokenEndpoint,
          init: {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
            body: body.toString(),
          },
          source,
          now,
        },
        signal,
      );
    },
    { ...options, clock },
  );
  return {
    ...provider,
    universeDomain,
    ...(parsed.quota_project_id === undefined ? {} : { quotaProject: parsed.quota_project_id }),
  };
}
