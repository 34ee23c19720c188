// What a caller may learn when the google backend fails. The client's errors are written for the
// one who holds the credentials: they name the service account and the token endpoint, quote a
// non-JSON body or the network library's error text. Behind the proxy the caller is someone else,
// so those are told as one generic sentence each, and the whole story goes to the proxy's log (the
// original error is the `cause`, which the request log line reports and the wire never carries).

import type { AuthProvider } from "@jobrun/client";
import { ApiError, isApiError, RESOURCE_INFO_TYPE } from "@jobrun/core";

/** What every caller is told when the proxy's own credentials fail. */
export const COULD_NOT_AUTHENTICATE = "the proxy could not authenticate to Google";

const SEE_LOGS = "the request id in x-request-id identifies it in the proxy's logs";

/** The ErrorInfo domain of these errors: the proxy's own connection to Google failed, not the service. */
const DOMAIN = "jobrun-proxy";

/** An AuthProvider that remembers which errors it threw, so they can be told apart later. */
export interface CredentialWatch {
  readonly auth: AuthProvider;
  /** Whether `error` came from getting the proxy's own access token. */
  isCredentialFailure(error: unknown): boolean;
}

/**
 * Wraps the proxy's AuthProvider. A token failure (the endpoint refused the key, was unreachable,
 * answered nonsense) is marked, unless it is the call's own abort or timeout.
 */
export function watchCredentials(auth: AuthProvider): CredentialWatch {
  const failures = new WeakSet<object>();
  const watched: AuthProvider = {
    async getAccessToken(options) {
      try {
        return await auth.getAccessToken(options);
      } catch (error) {
        if (options?.signal?.aborted !== true && typeof error === "object" && error !== null) {
          failures.add(error);
        }
        throw error;
      }
    },
    ...(auth.invalidate === undefined
      ? {}
      : { invalidate: (refused?: string) => auth.invalidate?.(refused) }),
    // What the credentials say about where and for whom they call: the client sends
    // x-goog-user-project from the one and picks clouddeploy.<universe> by the other.
    ...(auth.quotaProject === undefined ? {} : { quotaProject: auth.quotaProject }),
    ...(auth.universeDomain === undefined ? {} : { universeDomain: auth.universeDomain }),
  };
  return {
    auth: watched,
    isCredentialFailure: (error) => typeof error === "object" && error !== null && failures.has(error),
  };
}

/**
 * The error a caller gets for a failure of the google backend:
 * - the proxy's own credentials failed (getting a token, or Google answering 401 to the proxy's
 *   token): 503 UNAVAILABLE "the proxy could not authenticate to Google". Never 401: the caller's
 *   client would take it for its own token being refused, and drop it;
 * - an error the client made from something other than Google's google.rpc.Status (a network
 *   failure, a body that is not JSON: those carry a `cause`): the same code, a generic message;
 * - Google's own answer (and our abort and deadline errors): as it is.
 */
export function callerSafeError(error: unknown, credentials: CredentialWatch): unknown {
  if (!isApiError(error)) return error;
  if (credentials.isCredentialFailure(error) || error.httpStatus === 401) {
    return new ApiError("UNAVAILABLE", COULD_NOT_AUTHENTICATE, {
      reason: "UPSTREAM_AUTHENTICATION_FAILED",
      domain: DOMAIN,
      cause: error,
    });
  }
  if (error.cause === undefined || error.code === "CANCELLED" || error.code === "DEADLINE_EXCEEDED") {
    return error;
  }
  const unreachable = error.code === "UNAVAILABLE";
  const message = unreachable
    ? `Google's API could not be reached; ${SEE_LOGS}`
    : `Google's answer could not be read; ${SEE_LOGS}`;
  return new ApiError(error.code, message, {
    httpStatus: error.httpStatus,
    reason: unreachable ? "UPSTREAM_UNREACHABLE" : "UPSTREAM_ANSWER_UNREADABLE",
    domain: DOMAIN,
    // The resource the call was about is the caller's own; nothing else of the original is kept.
    details: error.details.filter((detail) => detail["@type"] === RESOURCE_INFO_TYPE),
    cause: error,
  });
}
