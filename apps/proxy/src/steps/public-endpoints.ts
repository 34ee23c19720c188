import type { Step } from "./pipeline.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * `GET /healthz` and `GET /openapi.json`, answered before auth: a load balancer's health check and a
 * caller's tooling carry no credentials. As Hono routes would match them: exact paths, no trailing
 * slash, any query.
 */
export function publicEndpoints(openApiDocument: unknown): Step {
  const openapi = JSON.stringify(openApiDocument);
  return (c, state) => {
    if (state.method !== "GET") return undefined;
    const path = c.req.path;
    if (path === "/healthz")
      return c.body('{"status":"ok"}', 200, Object.assign({}, state.headers, JSON_HEADERS));
    if (path === "/openapi.json") return c.body(openapi, 200, Object.assign({}, state.headers, JSON_HEADERS));
    return undefined;
  };
}
