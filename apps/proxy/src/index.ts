// @jobrun/proxy: the Hono edge proxy. This entry uses no Node built-ins (it runs on Workers too);
// the CLI is the package's bin, the Worker entry is "@jobrun/proxy/worker".

export { createProxy, type ProxyOptions } from "./app.js";
export { createEmulatorBackend, type EmulatorBackendOptions } from "./backends/emulator.js";
export {
  createGoogleBackend,
  GOOGLE_UPSTREAM,
  type GoogleBackend,
  type GoogleBackendOptions,
  parseUpstream,
} from "./backends/google.js";
export { cacheApiAdapter, cacheKey, type ResponseCache } from "./cache.js";
export { PROXY_ERROR_DOMAIN } from "./errors.js";
export { createJwtVerifier, type JwtAlgorithm, type JwtOptions, type JwtVerifier } from "./jwt.js";
export {
  API_KEY_PREFIX,
  type ApiKeyRecord,
  constantTimeEqual,
  createKeyStore,
  generateApiKey,
  hashApiKey,
  type KeyStore,
  parseKeyFile,
} from "./keys.js";
export { openApiDocument } from "./openapi.js";
export { inScopes, parseScopes, type Scope } from "./scopes.js";
export type { AuthOptions } from "./steps/auth.js";
export { DEFAULT_MAX_BODY_BYTES } from "./steps/body-limit.js";
export type { CorsOptions } from "./steps/cors.js";
export { jsonLineSink } from "./steps/logger.js";
export {
  type MemoryRateLimitOptions,
  memoryRateLimiter,
  type RateLimiter,
  type RateLimitVerdict,
  type WorkersRateLimitBinding,
  workersRateLimiter,
} from "./steps/rate-limit.js";
export type { Caller, LogEntry, LogSink, ProxyEnv, Role } from "./types.js";
export {
  DEFAULT_WATCH_INTERVAL_MS,
  GooglePoller,
  type GooglePollerOptions,
} from "./watch/google-poller.js";
export { DEFAULT_WATCH_LIMITS, WatchHub, type WatchHubOptions } from "./watch/hub.js";
export { type ChangedRunPlace, changedRunPlace, mayBeUnder, parsePushBody } from "./watch/pubsub-message.js";
export {
  PUBSUB_PUSH_PATH,
  type PubsubPushOptions,
  type PushPrompted,
  promptsOf,
} from "./watch/pubsub-push.js";
export {
  createPushVerifier,
  GOOGLE_OIDC_ISSUERS,
  GOOGLE_OIDC_JWKS_URL,
  type PushAuthOptions,
  type PushVerifier,
} from "./watch/pubsub-token.js";
export { type WatchSource, watchSourceOf } from "./watch/source.js";
