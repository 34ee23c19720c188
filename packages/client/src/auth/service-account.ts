import { ApiError, type Clock, systemClock } from "@jobrun/core";
import { CompactSign, importPKCS8 } from "jose";
import type { FetchFunction } from "../transport.js";
import { type AuthProvider, CLOUD_PLATFORM_SCOPE } from "./auth-provider.js";
import { GOOGLE_TOKEN_ENDPOINT, requestAccessToken } from "./oauth-token-endpoint.js";
import { parseServiceAccountKey, type ServiceAccountKey } from "./service-account-key.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

export interface ServiceAccountOptions extends TokenCacheOptions {
  /** OAuth scopes; default cloud-platform. */
  readonly scopes?: readonly string[];
  /** The token endpoint; default the key's token_uri, else Google's. Tests point it at a fake. */
  readonly tokenEndpoint?: string;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** How long the signed assertion is valid: Google accepts at most one hour. */
const ASSERTION_LIFETIME_S = 3600;

/**
 * A service account key (the JSON file, as text or parsed). Tokens come from the OAuth 2 JWT-bearer
 * flow (RFC 7523): an RS256 assertion signed with WebCrypto through jose, so it works on Workers,
 * Deno, Bun and browsers as well as Node. The key is checked now; it is imported on first use.
 */
export function serviceAccountKey(
  key: ServiceAccountKey | string,
  options: ServiceAccountOptions = {},
): AuthProvider {
  const parsed = parseServiceAccountKey(key);
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const tokenEndpoint = options.tokenEndpoint ?? parsed.token_uri ?? GOOGLE_TOKEN_ENDPOINT;
  const scope = (options.scopes ?? [CLOUD_PLATFORM_SCOPE]).join(" ");
  const source = `service account ${parsed.client_email}`;
  let signingKey: Promise<CryptoKey> | undefined;

  const importKey = () =>
    importPKCS8(parsed.private_key, "RS256").catch(() => {
      // jose's message is generic, but nothing from the key may reach an error: no cause either.
      signingKey = undefined;
      throw new ApiError("INVALID_ARGUMENT", `${source}: private_key is not a valid RSA PKCS#8 key`);
    });

  return cachedTokenProvider(
    async (signal) => {
      signingKey ??= importKey();
      const now = clock.now();
      const issuedAt = Math.floor(now / 1000);
      const claims = {
        iss: parsed.client_email,
        scope,
        aud: tokenEndpoint,
        iat: issuedAt,
        exp: issuedAt + ASSERTION_LIFETIME_S,
      };
      // CompactSign rather than SignJWT: the claims are fixed and simple, and the JWT helpers would
      // add a few KB of claim validation to every edge bundle.
      const assertion = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({
          alg: "RS256",
          typ: "JWT",
          ...(parsed.private_key_id ? { kid: parsed.private_key_id } : {}),
        })
        .sign(await signingKey);
      const body = new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
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
}
