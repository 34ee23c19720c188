import { ApiError } from "@jobrun/core";
import { BoundedMemo } from "../bounded-memo.js";
import { errorResponse } from "../errors.js";
import type { Step } from "./pipeline.js";

/**
 * Answers only requests whose URL's host is one of `hosts`; 403 for the rest. It stops a web page
 * from reaching an unauthenticated loopback proxy through DNS rebinding. The answer depends only on
 * the URL's origin, of which a proxy sees very few, so it is remembered per origin instead of
 * parsing every URL.
 */
export function hostGuard(hosts: readonly string[]): Step {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  const seen = new BoundedMemo<boolean>(64);
  return (c, state) => {
    const url = c.req.url;
    const slash = url.indexOf("/", url.indexOf("//") + 2);
    const origin = slash < 0 ? url : url.slice(0, slash);
    let ok = seen.get(origin);
    if (ok === undefined) {
      ok = allowed.has(new URL(url).hostname.toLowerCase());
      seen.set(origin, ok);
    }
    if (ok) return undefined;
    const error = new ApiError("PERMISSION_DENIED", "this proxy does not answer to that Host");
    return errorResponse(error, state.headers);
  };
}
