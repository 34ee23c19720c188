import type { MiddlewareHandler } from "hono";
import type { ProxyEnv } from "../types.js";

/** Only ids that are safe to echo into a header and a log line are taken from the caller. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id, echoed in `x-request-id` (errors and logs carry it too). A caller's own
 * id is kept when it is harmless, so traces can be joined across services; otherwise a UUID.
 */
export function requestId(): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const offered = c.req.header("x-request-id");
    const id = offered !== undefined && SAFE_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", id);
    c.set("logFields", {});
    c.set("responseHeaders", { "x-request-id": id, vary: "Origin" });
    await next();
  };
}
