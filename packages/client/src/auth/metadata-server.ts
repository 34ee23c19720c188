import { type Clock, systemClock } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import type { AuthProvider } from "./auth-provider.js";
import { requestAccessToken } from "./oauth-token-endpoint.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

/** The metadata server of GCE, Cloud Run, Cloud Functions and GKE (workload identity). */
export const METADATA_SERVER_ENDPOINT = "http://metadata.google.internal";

export interface MetadataServerOptions extends TokenCacheOptions {
  /** Base URL of the metadata server; tests point it at a fake. */
  readonly endpoint?: string;
  /** Which attached service account; default "default". */
  readonly serviceAccount?: string;
  /** Scopes to ask for; by default the ones the instance was given. */
  readonly scopes?: readonly string[];
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** Tokens of the service account attached to the machine, from the metadata server. */
export function metadataServer(options: MetadataServerOptions = {}): AuthProvider {
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const base = (options.endpoint ?? METADATA_SERVER_ENDPOINT).replace(/\/+$/, "");
  const account = options.serviceAccount ?? "default";
  const query =
    options.scopes === undefined ? "" : `?${new URLSearchParams({ scopes: options.scopes.join(",") })}`;
  const url = `${base}/computeMetadata/v1/instance/service-accounts/${encodeURIComponent(account)}/token${query}`;
  return cachedTokenProvider(
    (signal) =>
      requestAccessToken(
        {
          fetch: fetchFunction,
          url,
          // The header proves the request is not a browser being tricked into SSRF; the server requires it.
          init: { method: "GET", headers: { "metadata-flavor": "Google" } },
          source: `metadata server (service account ${account})`,
          now: clock.now(),
        },
        signal,
      ),
    { ...options, clock },
  );
}
