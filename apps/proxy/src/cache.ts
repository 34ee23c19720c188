// An edge cache of finished runs (the Workers Cache API, or anything with its shape). Entries are
// keyed by caller as well as by resource and encoding: a response is only ever served to the caller
// it was fetched for, so a revoked or narrowed caller never rides on another's cached access.

/** The subset of the Cache API the proxy uses (`caches.default` on Workers fits it). */
export interface ResponseCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/** A Cache API cache (`caches.default`); `waitUntil` lets the write finish after the response is sent. */
export function cacheApiAdapter(
  cache: { match(key: string): Promise<Response | undefined>; put(key: string, r: Response): Promise<void> },
  waitUntil?: (promise: Promise<unknown>) => void,
): ResponseCache {
  return {
    match: (key) => cache.match(key),
    put(key, response) {
      const write = cache.put(key, response).catch(() => {});
      if (waitUntil === undefined) return write;
      waitUntil(write);
      return Promise.resolve();
    },
  };
}

/** How long the edge keeps a finished run. The run cannot change; the bound only frees space. */
export const EDGE_TTL_S = 86_400;

/**
 * The cache key of one caller's view of one resource in one encoding. The caller id is hashed so
 * the key names no one; the host is not routable, so the key can never be fetched.
 */
export async function cacheKey(callerId: string, path: string, encoding: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(callerId)));
  let hex = "";
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, "0");
  return `https://jobrun-proxy.cache.invalid/${hex}${path}?enc=${encoding}`;
}
