import type { MiddlewareHandler } from "hono";
import type { ProxyEnv } from "../types.js";

export interface CorsOptions {
  /** Exact origins allowed to call from a browser, e.g. "https://dash.example.com". No wildcards. */
  readonly origins: readonly string[];
}

const ALLOW_HEADERS =
  "authorization, content-type, x-goog-api-key, x-goog-api-client, x-goog-request-params, x-request-id, if-none-match";
const EXPOSE_HEADERS = "etag, retry-after, x-request-id";

/**
 * A CORS allowlist. Only listed origins get CORS headers; credentials (cookies) are never allowed,
 * because callers authenticate with a key or token in a header, which a foreign page cannot read.
 */
export function cors(options: CorsOptions): MiddlewareHandler<ProxyEnv> {
  const allowed = new Set(options.origins);
  return async (c, next) => {
    const origin = c.req.header("origin");
    const ok = origin !== undefined && allowed.has(origin);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      // A preflight: answered here, before auth (browsers send no credentials on it).
      if (!ok) return c.body(null, 403, c.get("responseHeaders"));
      return c.body(null, 204, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": "600",
        ...c.get("responseHeaders"),
      });
    }
    if (ok) {
      const headers = c.get("responseHeaders");
      headers["access-control-allow-origin"] = origin;
      headers["access-control-expose-headers"] = EXPOSE_HEADERS;
    }
    await next();
  };
}
