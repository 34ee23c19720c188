import { isLoopback } from "@jobrun/core";
import { BoundedMemo } from "../bounded-memo.js";
import { errorResponse, proxyError } from "../errors.js";
import { absoluteFormHost } from "../node-server-adapter.js";
import type { Step } from "./pipeline.js";

/**
 * Answers only requests whose URL's host is one of `hosts` (`"loopback"`: any name core's
 * `isLoopback` accepts, the test the CLI applies to `--host`); 403 for the rest. It stops a web page
 * from reaching an unauthenticated loopback proxy through DNS rebinding. For an absolute-form target
 * the URL's host comes from the target, so the Host header must pass as well. The answer depends only
 * on the URL's origin, of which a proxy sees very few, so it is remembered per origin instead of
 * parsing every URL.
 */
export function hostGuard(hosts: readonly string[] | "loopback"): Step {
  const names = new Set(hosts === "loopback" ? [] : hosts.map((h) => h.toLowerCase()));
  const allowed = (host: string) => (hosts === "loopback" ? isLoopback(host) : names.has(host));
  const seen = new BoundedMemo<boolean>(64);
  return (c, state) => {
    const url = c.req.url;
    const slash = url.indexOf("/", url.indexOf("//") + 2);
    const origin = slash < 0 ? url : url.slice(0, slash);
    let ok = seen.get(origin);
    if (ok === undefined) {
      ok = allowed(new URL(url).hostname.toLowerCase());
      seen.set(origin, ok);
    }
    const hostHeader = absoluteFormHost(c.env);
    if (ok && hostHeader !== undefined) {
      ok =
        URL.canParse(`http://${hostHeader}`) &&
        allowed(new URL(`http://${hostHeader}`).hostname.toLowerCase());
    }
    if (ok) return undefined;
    const error = proxyError(
      "PERMISSION_DENIED",
      "HOST_NOT_ALLOWED",
      "this proxy does not answer to that Host",
    );
    return errorResponse(error, state.headers);
  };
}
