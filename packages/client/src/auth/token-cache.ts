import { ApiError, type Clock, callSignal, raceAbort, systemClock } from "@jobrun/core";
import type { AuthProvider } from "./auth-provider.js";

/** A token and when it stops working. */
export interface AccessToken {
  readonly token: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** Fetches a fresh token; the signal fires if the fetch takes too long. */
export type TokenFetcher = (signal: AbortSignal) => Promise<AccessToken>;

export interface TokenCacheOptions {
  readonly clock?: Clock;
  /** Refresh this long before expiry, so a token never dies in flight. Default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** Give up on one refresh after this long, so a hung token endpoint cannot hang every call. Default 30 s. */
  readonly fetchTimeoutMs?: number;
}

const FIVE_MINUTES = 5 * 60_000;

/**
 * Wraps a token fetcher into an AuthProvider: the token is kept until `refreshMarginMs` before it
 * expires, and while a refresh is under way every caller waits for that same refresh (one request
 * to the token endpoint for a hundred parallel calls). A caller's abort stops its own wait, never
 * the shared refresh.
 */
export function cachedTokenProvider(fetchToken: TokenFetcher, options: TokenCacheOptions = {}): AuthProvider {
  const clock = options.clock ?? systemClock;
  const margin = options.refreshMarginMs ?? FIVE_MINUTES;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 30_000;
  let cached: { readonly token: string; readonly refreshAt: number } | undefined;
  let refreshing: Promise<string> | undefined;
  let generation = 0;

  const refresh = (): Promise<string> => {
    const started = generation;
    const { signal, dispose } = callSignal({ timeoutMs: fetchTimeoutMs });
    const work = raceAbort(fetchToken(signal), signal).then((fresh) => {
      if (typeof fresh.token !== "string" || fresh.token === "") {
        throw new ApiError("UNAUTHENTICATED", "the token source returned an empty access token");
      }
      const now = clock.now();
      // A token that lives less than the margin is still used, and kept for half its life.
      const lifetime = Math.max(0, fresh.expiresAt - now);
      if (started === generation)
        cached = { token: fresh.token, refreshAt: now + Math.max(lifetime - margin, lifetime / 2) };
      return fresh.token;
    });
    const shared = work.finally(() => {
      dispose();
      if (refreshing === shared) refreshing = undefined;
    });
    return shared;
  };

  return {
    getAccessToken({ signal } = {}) {
      if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      refreshing ??= refresh();
      return signal === undefined ? refreshing : raceAbort(refreshing, signal);
    },
    invalidate(refusedToken) {
      // A 401 for a token already replaced (or being replaced) says nothing about the new one.
      if (refusedToken !== undefined && cached?.token !== refusedToken) return;
      generation += 1;
      cached = undefined;
    },
  };
}
