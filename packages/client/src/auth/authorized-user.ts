import { ApiError, type Clock, systemClock } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import type { AuthProvider } from "./auth-provider.js";
import { GOOGLE_TOKEN_ENDPOINT, requestAccessToken } from "./oauth-token-endpoint.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

/** The user credentials `gcloud auth application-default login` writes. */
export interface AuthorizedUserCredentials {
  readonly type: "authorized_user";
  readonly client_id: string;
  readonly client_secret: string;
  readonly refresh_token: string;
}

export interface AuthorizedUserOptions extends TokenCacheOptions {
  readonly tokenEndpoint?: string;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** A user's refresh token (application default credentials of a developer machine). */
export function authorizedUser(
  credentials: AuthorizedUserCredentials,
  options: AuthorizedUserOptions = {},
): AuthProvider {
  for (const name of ["client_id", "client_secret", "refresh_token"] as const) {
    if (typeof credentials[name] !== "string" || credentials[name] === "") {
      throw new ApiError("INVALID_ARGUMENT", `the authorized_user credentials have no ${name}`);
    }
  }
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const url = options.tokenEndpoint ?? GOOGLE_TOKEN_ENDPOINT;
  return cachedTokenProvider(
    (signal) =>
      requestAccessToken(
        {
          fetch: fetchFunction,
          url,
          init: {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
            body: new URLSearchParams({
              grant_type: "refresh_token",
              client_id: credentials.client_id,
              client_secret: credentials.client_secret,
              refresh_token: credentials.refresh_token,
            }).toString(),
          },
          source: `user credentials of OAuth client ${credentials.client_id}`,
          now: clock.now(),
        },
        signal,
      ),
    { ...options, clock },
  );
}
