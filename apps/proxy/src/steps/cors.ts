import type { Context } from "hono";
import { header } from "../request-info.js";
import type { RequestState } from "../types.js";

export interface CorsOptions {
  /** Exact origins allowed to call from a browser, e.g. "https://dash.example.com". No wildcards. */
  readonly origins: readonly string[];
}

const ALLOW_HEADERS =
  "authorization, content-type, x-goog-api-key, x-goog-api-client, x-goog-request-params, x-request-id, if-none-match, last-event-id";
const EXPOSE_HEADERS = "etag, retry-after, x-request-id";

/**
 * A CORS allowlist. Only listed origins get CORS headers; credentials (cookies) are never allowed,
 * because callers authenticate with a key or token in a header, which a foreign page cannot read.
 * Answers a preflight itself (before auth: browsers send no credentials on it); otherwise adds the
 * CORS headers to the request's response headers and returns undefined.
 */
export function cors(options: CorsOptions): (c: Context, state: RequestState) => Response | undefined {
  const allowed = new Set(options.origins);
  return (c, state) => {
    const origin = header(c, "origin");
    const ok = origin !== undefined && allowed.has(origin);
    if (c.req.method === "OPTIONS" && header(c, "access-control-request-method") !== undefined) {
      if (!ok) return new Response(null, { status: 403, headers: state.headers });
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "GET, POST",
          "access-control-allow-headers": ALLOW_HEADERS,
          "access-control-max-age": "600",
          ...state.headers,
        },
      });
    }
    if (ok) {
      state.headers["access-control-allow-origin"] = origin;
      state.headers["access-control-expose-headers"] = EXPOSE_HEADERS;
    }
    return undefined;
  };
}
