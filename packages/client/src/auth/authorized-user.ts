import { ApiError, type Clock, systemClock } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import { DEFAULT_UNIVERSE_DOMAIN } from "../universe.js";
import type { AuthProvider } from "./auth-provider.js";
import { GOOGLE_TOKEN_ENDPOINT, requestAccessToken } from "./oauth-token-endpoint.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

/** The user credentials `gcloud auth application-default login` writes. */
export interface AuthorizedUserCredentials {
  readonly type: "authorized_user";
  readonly client_id: string;
  readonly client_secret: string;
  readonly refresh_token: string;
  /** The project billed for quota (sent as x-goog-user-project); gcloud writes it. */
  readonly quota_project_id?: string;
  /** Only "googleapis.com": user credentials exist in no other universe. */
  readonly universe_domain?: string;
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
  for (const name of ["quota_project_id", "universe_domain"] as const) {
    const value = credentials[name];
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw new ApiError(
        "INVALID_ARGUMENT",
        `the authorized_user credentials' ${name} must be a non-empty string`,
      );
    }
  }
  if (credentials.universe_domain !== undefined && credentials.universe_domain !== DEFAULT_UNIVERSE_DOMAIN) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `the authorized_user credentials' universe_domain is not ${DEFAULT_UNIVERSE_DOMAIN}: user credentials ` +
        "work only there; use a service account or workload identity federation in another universe",
    );
  }
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const url = options.tokenEndpoint ?? GOOGLE_TOKEN_ENDPOINT;
  const provider = cachedTokenProvider(
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
  return {
    ...provider,
    universeDomain: DEFAULT_UNIVERSE_DOMAIN,
    ...(credentials.quota_project_id === undefined ? {} : { quotaProject: credentials.quota_project_id }),
  };
}
