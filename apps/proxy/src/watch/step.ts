// The watch's step in the proxy's pipeline: a request for `…/jobRuns:watch` is checked the way a
// list of the same parent is (reader role, the parent against the caller's scopes, the parent and
// filter against the name and filter rules), every refusal an ordinary google.rpc.Status answer, and
// only then answered with the event stream. Every other request passes on untouched (one suffix test).

import { checkResourceName, roleAllows, watchRoutes } from "@jobrun/core";
import {
  matchRoute,
  parseHttpRequest,
  readSystemParameters,
  type SystemParameters,
} from "@jobrun/core/server";
import type { Context } from "hono";
import { errorResponse, proxyError } from "../errors.js";
import { incomingHeaders, nodeResponseOf } from "../node-server-adapter.js";
import { queryOf, rawPath } from "../request-info.js";
import { inScopes, outOfScope, scopesOf } from "../scopes.js";
import type { Step } from "../steps/pipeline.js";
import { refuseCredentialsInQuery } from "../system-parameters.js";
import type { Caller } from "../types.js";
import type { WatchHub } from "./hub.js";
import { parseResumeToken } from "./resume-token.js";
import { EVENT_STREAM_TYPE } from "./sse.js";

/** The step; with no hub (a backend without a watch) a watch request gets 501 UNIMPLEMENTED. */
export function watchStep(hub: Pick<WatchHub, "open"> | undefined): Step {
  return (c, state) => {
    const path = rawPath(c);
    if (!path.endsWith(":watch")) return undefined;
    const match = matchRoute(state.method, path, watchRoutes);
    if (match.kind === "not-found") return undefined; // the route step says 404
    if (match.kind === "method-not-allowed") {
      const error = proxyError(
        "UNIMPLEMENTED",
        "HTTP_METHOD_NOT_ALLOWED",
        `method ${c.req.method} is not allowed here; use GET, HEAD`,
        { httpStatus: 405 },
      );
      return errorResponse(error, { ...state.headers, allow: "GET, HEAD" }, state);
    }
    const route = match.route;
    const caller = state.caller as Caller;
    const query = queryOf(c);
    const system = readSystemParameters(query);
    state.prettyPrint = system.prettyPrint;
    state.errorFormat = system.errorFormat;
    state.fields.rpc = route.rpc;
    const parent = match.params.parent ?? "";
    state.fields.resource = parent;
    // Checked in the order a list is: the name, the system parameters, the role, the scopes, the query.
    checkResourceName(route.policy.resource, parent);
    refuseUnsupported(system);
    if (!roleAllows(caller.role, route.policy.role)) {
      throw proxyError(
        "PERMISSION_DENIED",
        "ROLE_INSUFFICIENT",
        `permission denied: ${route.rpc} needs the ${route.policy.role} role`,
        { metadata: { resource: parent, role: caller.role, required: route.policy.role } },
      );
    }
    const scopes = caller.scopes === "all" ? undefined : scopesOf(caller.scopes);
    if (scopes !== undefined && !inScopes(scopes, parent)) throw outOfScope("parent", parent);
    // The query's fields (filter; nothing else), as parseHttpRequest checks every method's.
    const request = parseHttpRequest(route, match.params, query, undefined, { paramsChecked: true });
    if (hub === undefined) {
      throw proxyError(
        "UNIMPLEMENTED",
        "WATCH_NOT_AVAILABLE",
        "this proxy's backend has no watch: poll ListJobRuns instead",
      );
    }
    // HEAD: the headers of the stream, without opening one.
    if (c.req.method === "HEAD") {
      return new Response(null, {
        status: 200,
        headers: { ...state.headers, "content-type": EVENT_STREAM_TYPE, "cache-control": "no-store" },
      });
    }
    return hub.open({
      callerId: caller.id,
      parent: request.parent,
      filter: request.filter,
      resume: parseResumeToken(lastEventId(c)),
      encoding: system.enumEncoding,
      errorFormat: system.errorFormat,
      admits: scopes === undefined ? () => true : (name) => inScopes(scopes, name),
      headers: state.headers,
      // On Node the stream is written to the response itself, not piped from a web stream.
      nodeResponse: nodeResponseOf(c.env),
    });
  };
}

/**
 * The Last-Event-ID header. On Node from Node's own header object (which joins a repeated field with
 * ", " as `Headers.get` does): `c.req.header()` there would build a Fetch Headers object, which the
 * adapter's request keeps for as long as the stream is open.
 */
function lastEventId(c: Context): string | undefined {
  const headers = incomingHeaders(c.env);
  if (headers === undefined) return c.req.raw.headers.get("last-event-id") ?? undefined;
  const value = headers["last-event-id"];
  return typeof value === "string" ? value : undefined;
}

/**
 * What a stream cannot serve: its events are always compact proto3 JSON (no alt=proto, no partial
 * responses, no JSONP), and credentials never go in a URL.
 */
function refuseUnsupported(system: SystemParameters): void {
  refuseCredentialsInQuery(system.credentials);
  const refuse = (what: string) =>
    proxyError(
      "INVALID_ARGUMENT",
      "WATCH_PARAMETER_NOT_SUPPORTED",
      `${what} is not supported by WatchJobRuns: its events are compact proto3 JSON`,
    );
  if (system.alt !== "json") throw refuse(`alt=${system.alt}`);
  if (system.fields !== undefined) throw refuse("fields (a partial response)");
  if (system.callback !== undefined) throw refuse("callback (JSONP)");
}
