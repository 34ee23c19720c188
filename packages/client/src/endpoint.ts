import { ApiError, GOOGLE_ENDPOINT } from "@jobrun/core";
import { DEFAULT_UNIVERSE_DOMAIN, googleServiceUrl } from "./universe.js";

/** Google's endpoint for Cloud Deploy. */
export const DEFAULT_ENDPOINT = GOOGLE_ENDPOINT;

/** Cloud Deploy's endpoint in a universe: `https://clouddeploy.<universe>`. */
export function endpointForUniverse(universeDomain: string): string {
  return universeDomain === DEFAULT_UNIVERSE_DOMAIN
    ? DEFAULT_ENDPOINT
    : googleServiceUrl("clouddeploy", universeDomain);
}

/**
 * Checks an endpoint once, when the client is made, so a typo fails there with a message that says
 * what is wrong instead of as a confusing network error on the first call. Returns the base URL
 * without a trailing slash; a path prefix (a proxy mounted under `/deploy`) is kept.
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `endpoint ${JSON.stringify(endpoint)} is not an absolute URL (expected e.g. "https://clouddeploy.googleapis.com")`,
      { cause },
    );
  }
  const fail = (reason: string) =>
    new ApiError("INVALID_ARGUMENT", `endpoint ${JSON.stringify(redact(url))} ${reason}`);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw fail("must use http: or https:");
  if (url.username !== "" || url.password !== "")
    throw fail("must not carry credentials; use the auth option");
  if (url.search !== "" || url.hash !== "") throw fail("must not have a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

// An endpoint with user:password@ must not be echoed back whole.
function redact(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}
