import { ApiError } from "@jobrun/core";
import type { AuthProvider } from "./auth-provider.js";

/**
 * A token you already have (from `gcloud auth print-access-token`, a secret store, a test). It is
 * sent as it is; when it expires, calls fail with UNAUTHENTICATED.
 */
export function staticToken(token: string): AuthProvider {
  if (typeof token !== "string" || token.trim() === "") {
    throw new ApiError("INVALID_ARGUMENT", "staticToken needs a non-empty access token");
  }
  return { getAccessToken: () => Promise.resolve(token) };
}
