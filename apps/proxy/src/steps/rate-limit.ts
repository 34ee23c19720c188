import { retryInfo } from "@jobrun/core";
import { errorResponse, proxyError } from "../errors.js";
import type { Caller, RequestState } from "../types.js";
import type { Step, StepResult } from "./pipeline.js";

/** The verdict of a rate limiter. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** When refused: seconds until a request would be let through. */
  readonly retryAfterS: number;
}

/** Decides whether a caller may make one more request. Keys are caller ids, never credentials. */
export interface RateLimiter {
  limit(key: string): RateLimitVerdict | Promise<RateLimitVerdict>;
}

export interface MemoryRateLimitOptions {
  /** Sustained requests per minute per caller. */
  readonly requestsPerMinute: number;
  /** Requests a caller may make at once after being idle. Default: a tenth of a minute's worth, at least 10. */
  readonly burst?: number;
  /** How many callers are tracked; the least recently seen is forgotten past it (memory stays bounded). */
  readonly maxCallers?: number;
  readonly now?: () => number;
}

/** A token bucket per caller, in memory: right for one Node process. */
export function memoryRateLimiter(options: MemoryRateLimitOptions): RateLimiter {
  const rate = options.requestsPerMinute / 60_000; // tokens per ms
  if (!(rate > 0)) throw new Error(`requestsPerMinute must be > 0, got ${options.requestsPerMinute}`);
  const burst = options.burst ?? Math.max(10, Math.ceil(options.requestsPerMinute / 10));
  const maxCallers = options.maxCallers ?? 10_000;
  const now = options.now ?? (() => Date.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    limit(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: burst, at: t };
        if (buckets.size >= maxCallers) buckets.delete(buckets.keys().next().value as string);
      } else {
        buckets.delete(key); // re-inserted below: Map order is then least-recently-seen first
        bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * rate);
        bucket.at = t;
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterS: 0 };
      }
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
    },
  };
}

/** The shape of a Workers rate-limiting binding (`ratelimits` in wrangler.jsonc). */
export interface WorkersRateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A limiter over a Workers rate-limiting binding; its periods are 10 or 60 s, so Retry-After is the period. */
export function workersRateLimiter(binding: WorkersRateLimitBinding, periodS = 60): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      return { allowed: success, retryAfterS: success ? 0 : periodS };
    },
  };
}

/** 429 RESOURCE_EXHAUSTED with Retry-After (and RetryInfo, which Google's clients read) past the limit. */
export function rateLimited(
  limiter: RateLimiter,
  state: RequestState,
  callerId: string,
): StepResult | Promise<StepResult> {
  // An in-memory limiter decides at once: then so does this step (no promise per request).
  const verdict = limiter.limit(callerId);
  return verdict instanceof Promise
    ? verdict.then((decided) => refusal(decided, state))
    : refusal(verdict, state);
}

function refusal(verdict: RateLimitVerdict, state: RequestState): StepResult {
  if (verdict.allowed) return undefined;
  state.fields.error = "RESOURCE_EXHAUSTED";
  const error = proxyError(
    "RESOURCE_EXHAUSTED",
    "RATE_LIMIT_EXCEEDED",
    "rate limit exceeded for this caller; retry later",
    {
      // RetryInfo first: it is what this error is about (gax and googleapis read it for the wait).
      details: [retryInfo(verdict.retryAfterS * 1000)],
    },
  );
  return errorResponse(error, { ...state.headers, "retry-after": String(verdict.retryAfterS) });
}

/** The rate-limit step, after auth: one more request for the caller, or 429. */
export function rateLimit(limiter: RateLimiter): Step {
  return (_c, state) => rateLimited(limiter, state, (state.caller as Caller).id);
}
