// The Cloudflare Worker entry. Configuration comes from wrangler.jsonc vars and secrets; the app is
// built once per isolate and reused. A configuration mistake is logged in full and answered with a
// generic 500, so a caller learns nothing about the proxy's secrets or setup.

import { serviceAccountKey } from "@jobrun/client";
import { ApiError, type JobRunService } from "@jobrun/core";
import { createProxy } from "./app.js";
import { createEmulatorBackend } from "./backends/emulator.js";
import { createGoogleBackend, parseUpstream } from "./backends/google.js";
import { cacheApiAdapter } from "./cache.js";
import { errorResponse } from "./errors.js";
import { createJwtVerifier } from "./jwt.js";
import { createKeyStore, parseKeyFile } from "./keys.js";
import type { AuthOptions } from "./steps/auth.js";
import { jsonLineSink } from "./steps/logger.js";
import { memoryRateLimiter, type WorkersRateLimitBinding, workersRateLimiter } from "./steps/rate-limit.js";
import {
  durableObjectPrompts,
  durableObjectWatch,
  type WatchChannelEnv,
  WatchChannelObject,
} from "./watch/durable-object.js";
import { workerWatchSettings } from "./watch/worker-watch-settings.js";

// The Durable Object class of the google-mode watch (binding WATCH_CHANNELS in wrangler.jsonc).
export { WatchChannelObject };

/** The Worker's bindings: vars (plain) and secrets (wrangler secret put). */
export interface WorkerEnv extends WatchChannelEnv {
  /** "emulator" (default) or "google". */
  readonly BACKEND?: string;
  /**
   * The google backend's endpoint, for a private or regional one: https, or http on loopback only.
   * Default https://clouddeploy.googleapis.com.
   */
  readonly UPSTREAM?: string;
  /** Secret: the service account key JSON the google backend signs in with. */
  readonly GOOGLE_SERVICE_ACCOUNT_KEY?: string;
  /** Secret: the key file `{"keys":[…]}` (hashes only). */
  readonly CALLER_KEYS?: string;
  readonly JWT_ISSUER?: string;
  readonly JWT_AUDIENCE?: string;
  readonly JWT_JWKS_URL?: string;
  /** Comma-separated browser origins. */
  readonly CORS_ORIGINS?: string;
  /** "true" to serve without auth (a demo). Never the default. */
  readonly INSECURE_NO_AUTH?: string;
  /** Optional rate-limiting binding (`ratelimits` in wrangler.jsonc). */
  readonly RATE_LIMITER?: WorkersRateLimitBinding;
  /**
   * Per-isolate fallback limit when there is no binding: requests per minute per caller ("0" = off).
   * Default 600 when callers have keys or JWTs, none for an open emulator (INSECURE_NO_AUTH).
   */
  readonly RATE_LIMIT_PER_MINUTE?: string;
  /** Emulator data `{"jobRuns":[…]}` as JSON; without it the demo world is seeded. */
  readonly EMULATOR_JOB_RUNS?: string;
  readonly EMULATOR_TERMINATE_DELAY_MS?: string;
  /** "off" turns the per-request log lines off. */
  readonly LOG_REQUESTS?: string;
  /** "off" disables the Cache API for finished runs. */
  readonly EDGE_CACHE?: string;
  // The google-mode watch (WATCH_CHANNELS, WATCH_INTERVAL_SECONDS, WATCH_MAX_PER_CALLER,
  // PUBSUB_AUDIENCE): WatchChannelEnv.
  /** With PUBSUB_AUDIENCE: only pushes whose OIDC token is this service account's are taken. */
  readonly PUBSUB_SERVICE_ACCOUNT?: string;
  /** With PUBSUB_AUDIENCE: the key set push tokens are checked with (default Google's). */
  readonly PUBSUB_JWKS_URL?: string;
}

type Fetch = (request: Request) => Response | Promise<Response>;

/** The part of the Workers ExecutionContext the entry uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

// One app per isolate: the emulator backend's state, the rate limiter and the memo live in it.
// Workers drop a request's timers once its response is done; the emulator needs none of them: it
// computes time-based transitions (a terminated run becoming TERMINATED, the demo moving) from its
// clock on every read.
let built: Fetch | undefined;

function build(env: WorkerEnv): Fetch {
  const backend = backendOf(env);
  const auth = authOf(env);
  const app = createProxy({
    backend,
    cancelOnDisconnect: (env.BACKEND ?? "emulator") !== "emulator",
    auth,
    cors: {
      origins: (env.CORS_ORIGINS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    },
    ...rateLimitOf(env, auth),
    ...(env.EDGE_CACHE === "off" || typeof caches === "undefined"
      ? {}
      : { cache: cacheApiAdapter((caches as unknown as { default: Cache }).default as never) }),
    log: env.LOG_REQUESTS === "off" ? false : jsonLineSink,
    ...watchOf(env),
  });
  return (request) => app.fetch(request);
}

/**
 * The google-mode watch: each (parent, filter) in its own Durable Object, so every isolate's
 * watchers share one upstream poll; Pub/Sub pushes prompt them through the objects' directory; each
 * caller's streams are counted across all of them by the caller's ledger (WATCH_MAX_PER_CALLER).
 * Without the WATCH_CHANNELS binding google mode answers a watch with 501, and so does the emulator
 * backend: its per-isolate state would give a stream only the changes made in its own isolate, and
 * its timers die with the request that set them (a run would stop at TERMINATING). @jobrun/client
 * polls where the answer is 501.
 */
function watchOf(env: WorkerEnv) {
  const google = env.BACKEND === "google";
  if (!google) {
    if (env.PUBSUB_AUDIENCE) throw new Error("PUBSUB_AUDIENCE only applies to BACKEND=google");
    return { watch: false as const };
  }
  const namespace = env.WATCH_CHANNELS;
  if (namespace === undefined) {
    if (env.PUBSUB_AUDIENCE)
      throw new Error("PUBSUB_AUDIENCE needs the WATCH_CHANNELS Durable Object binding");
    return { watch: false as const };
  }
  // Read here as well as in the objects, so a bad value is a misconfiguration of the whole Worker.
  const settings = workerWatchSettings(env);
  return {
    watch: durableObjectWatch(namespace, settings),
    ...(env.PUBSUB_AUDIENCE
      ? {
          pubsub: {
            audience: env.PUBSUB_AUDIENCE,
            ...(env.PUBSUB_JWKS_URL ? { jwks: env.PUBSUB_JWKS_URL } : {}),
            ...(env.PUBSUB_SERVICE_ACCOUNT ? { serviceAccount: env.PUBSUB_SERVICE_ACCOUNT } : {}),
            watches: durableObjectPrompts(namespace),
          },
        }
      : {}),
  };
}

function backendOf(env: WorkerEnv): JobRunService {
  const kind = env.BACKEND ?? "emulator";
  if (kind === "google") {
    if (!env.GOOGLE_SERVICE_ACCOUNT_KEY)
      throw new Error("BACKEND=google needs the GOOGLE_SERVICE_ACCOUNT_KEY secret");
    return createGoogleBackend({
      auth: serviceAccountKey(env.GOOGLE_SERVICE_ACCOUNT_KEY),
      ...(env.UPSTREAM ? { upstream: parseUpstream(env.UPSTREAM) } : {}),
    });
  }
  if (kind !== "emulator")
    throw new Error(`BACKEND must be "emulator" or "google", not ${JSON.stringify(kind)}`);
  const delay =
    env.EMULATOR_TERMINATE_DELAY_MS === undefined ? undefined : Number(env.EMULATOR_TERMINATE_DELAY_MS);
  const jobRuns = env.EMULATOR_JOB_RUNS === undefined ? undefined : JSON.parse(env.EMULATOR_JOB_RUNS);
  return createEmulatorBackend({
    ...(jobRuns === undefined ? {} : { jobRuns }),
    ...(delay === undefined ? {} : { terminateDelayMs: delay }),
  });
}

function authOf(env: WorkerEnv): AuthOptions {
  const jwtVars = [env.JWT_ISSUER, env.JWT_AUDIENCE, env.JWT_JWKS_URL];
  const hasJwt = jwtVars.every(Boolean);
  if (!hasJwt && jwtVars.some(Boolean))
    throw new Error("JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL go together");
  if (!env.CALLER_KEYS && !hasJwt) {
    if (env.INSECURE_NO_AUTH === "true") return "none";
    throw new Error(
      "no caller auth: set the CALLER_KEYS secret or the JWT_* vars (or INSECURE_NO_AUTH=true)",
    );
  }
  return {
    ...(env.CALLER_KEYS ? { keys: createKeyStore(parseKeyFile(env.CALLER_KEYS)) } : {}),
    ...(hasJwt
      ? {
          jwt: createJwtVerifier({
            issuer: env.JWT_ISSUER!,
            audience: env.JWT_AUDIENCE!,
            jwks: env.JWT_JWKS_URL!,
          }),
        }
      : {}),
  };
}

function rateLimitOf(env: WorkerEnv, auth: AuthOptions) {
  if (env.RATE_LIMITER !== undefined) return { rateLimit: workersRateLimiter(env.RATE_LIMITER) };
  // As the CLI: an open emulator has no upstream quota to protect, so no limit unless asked for.
  const openEmulator = auth === "none" && (env.BACKEND ?? "emulator") === "emulator";
  const perMinute = Number(env.RATE_LIMIT_PER_MINUTE ?? (openEmulator ? "0" : "600"));
  return perMinute > 0 ? { rateLimit: memoryRateLimiter({ requestsPerMinute: perMinute }) } : {};
}

export default {
  async fetch(request: Request, env: WorkerEnv, _ctx?: WorkerContext): Promise<Response> {
    if (built === undefined) {
      try {
        built = build(env);
      } catch (error) {
        // The message names the setting, never its value.
        console.error(
          JSON.stringify({ level: "error", msg: "proxy misconfigured", reason: (error as Error).message }),
        );
        return errorResponse(new ApiError("INTERNAL", "the proxy is misconfigured; its logs say how"));
      }
    }
    return built(request);
  },
};
