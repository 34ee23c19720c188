// @jobrun/client: the edge-safe entry (fetch and WebCrypto only, no Node built-ins). The providers
// that need a file system or a child process are in "@jobrun/client/node".

// The clock retries and token caches use: core's, re-exported for the `clock` option.
export { type Clock, systemClock } from "@jobrun/core";
// Auth.
export { type AuthProvider, CLOUD_PLATFORM_SCOPE } from "./auth/auth-provider.js";
export {
  type AuthorizedUserCredentials,
  type AuthorizedUserOptions,
  authorizedUser,
} from "./auth/authorized-user.js";
export { CREDENTIAL_TYPES, credentialsFromJson } from "./auth/credentials-json.js";
export type { CredentialsOptions } from "./auth/direct-credentials.js";
export {
  type ExternalAccountOptions,
  externalAccount,
  type SourcedAuthProvider,
} from "./auth/external-account.js";
export { impersonatedServiceAccount } from "./auth/impersonated-service-account.js";
export {
  METADATA_SERVER_ENDPOINT,
  type MetadataServerOptions,
  metadataServer,
} from "./auth/metadata-server.js";
export { GOOGLE_TOKEN_ENDPOINT } from "./auth/oauth-token-endpoint.js";
export { type ServiceAccountOptions, serviceAccountKey } from "./auth/service-account.js";
export { parseServiceAccountKey, type ServiceAccountKey } from "./auth/service-account-key.js";
export { staticToken } from "./auth/static-token.js";
export type { ReadTextFile } from "./auth/subject-token.js";
export {
  type AccessToken,
  cachedTokenProvider,
  type TokenCacheOptions,
  type TokenFetcher,
} from "./auth/token-cache.js";
export { createJobRunsClient, type JobRunsClient, type JobRunsClientOptions } from "./client.js";
export { DEFAULT_ENDPOINT, endpointForUniverse } from "./endpoint.js";
export { QUOTA_PROJECT_HEADER } from "./quota-project.js";
export {
  DEFAULT_RETRY_POLICY,
  type RetryOptions,
  type RetryPolicy,
} from "./retry.js";
export { DEFAULT_MAX_RESPONSE_BYTES, type FetchFunction, resourceNameOf } from "./transport.js";
export { DEFAULT_UNIVERSE_DOMAIN } from "./universe.js";
export { CLIENT_VERSION } from "./version.js";
export { createSseParser, type SseEvent, type SseHandlers, type SseParser } from "./watch/sse-parser.js";
export {
  DEFAULT_POLL_INTERVAL_MS,
  type WatchJobRunsOptions,
  type WatchMode,
} from "./watch/watch-job-runs.js";
