import type { ApiError } from "@jobrun/core";
import { matchRoute } from "@jobrun/core/server";
import { BoundedMemo } from "../bounded-memo.js";
import { errorResponse, proxyError } from "../errors.js";
import { rawPath } from "../request-info.js";
import { validateMatch } from "../rpc.js";
import type { RouteMatched } from "../types.js";
import type { Step } from "./pipeline.js";

/** A path the route table does not know and no method of it serves. */
export const notFound = (path: string): ApiError =>
  proxyError(
    "NOT_FOUND",
    "REST_METHOD_NOT_FOUND",
    `no such REST method: ${JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path)}`,
  );

/** Validated matches kept per HTTP method. */
const MEMO_ENTRIES = 1000;

/**
 * Finds the REST method of the request in core's route table and validates the resource name in the
 * path; the match goes into the request's state. 404 for an unknown path, 405 (with Allow) for a
 * known path and another method, 400 for a malformed name.
 */
export function route(): Step {
  // Matches whose resource name already passed validation, by method, then raw path. Matching and
  // validating are pure functions of that text, so a repeated request skips both. One memo per
  // method the route table serves (so at most a few), keyed by the path itself: a key joining method
  // and path would copy and hash the whole path again on every request.
  const memos = new Map<string, BoundedMemo<RouteMatched>>();
  return (c, state) => {
    const method = state.method;
    const path = rawPath(c);
    const known = memos.get(method)?.get(path);
    if (known !== undefined) {
      state.route = known;
      return undefined;
    }
    const match = matchRoute(method, path);
    if (match.kind === "not-found") throw notFound(path);
    if (match.kind === "method-not-allowed") {
      // HEAD is served wherever GET is (RFC 9110 §9.3.2).
      const allow = match.allow.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])).join(", ");
      const error = proxyError(
        "UNIMPLEMENTED",
        "HTTP_METHOD_NOT_ALLOWED",
        `method ${c.req.method} is not allowed here; use ${allow}`,
        { httpStatus: 405 },
      );
      return errorResponse(error, { ...state.headers, allow }, state);
    }
    validateMatch(match);
    let memo = memos.get(method);
    if (memo === undefined) {
      memo = new BoundedMemo<RouteMatched>(MEMO_ENTRIES);
      memos.set(method, memo);
    }
    memo.set(path, match);
    state.route = match;
    return undefined;
  };
}
