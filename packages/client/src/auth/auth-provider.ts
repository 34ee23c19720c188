/** What every auth provider does: hand out an OAuth 2 access token for Google APIs. */
export interface AuthProvider {
  /**
   * A valid access token, from the cache while it has more than five minutes left. Concurrent
   * callers share one refresh. The token is a secret: never log it or put it in a message.
   */
  getAccessToken(options?: { readonly signal?: AbortSignal }): Promise<string>;
  /**
   * Forgets the cached token after the server refused it (HTTP 401), so the next call refreshes.
   * Given the refused token, it does nothing unless that token is still the cached one: with many
   * calls in flight when a token is revoked, the first 401 refreshes and the late ones, which carry
   * the old token, must not throw the fresh one away.
   */
  invalidate?(refusedToken?: string): void;
  /**
   * The project billed for the calls' quota, when the credentials name one (`quota_project_id`).
   * The client sends it as `x-goog-user-project` unless its own `quotaProject` option says otherwise.
   */
  readonly quotaProject?: string;
  /**
   * The universe the credentials belong to ("googleapis.com" unless they say otherwise). The client
   * talks to `clouddeploy.<universe>` by default, and refuses a universeDomain option that differs.
   */
  readonly universeDomain?: string;
}

/** The scope Cloud Deploy asks for (its only oauth_scope). */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
