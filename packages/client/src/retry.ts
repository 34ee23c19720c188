import type { Clock } from "@jobrun/core";
import { ApiError, type CodeName, callSignal, isApiError, RETRY_INFO_TYPE, sleep } from "@jobrun/core";

/**
 * When and how a call is tried again. The defaults are Google's own policy for GetJobRun and
 * ListJobRuns (clouddeploy_grpc_service_config.json); TerminateJobRun is never retried whatever
 * this says, because terminating twice is not the same as terminating once.
 */
export interface RetryPolicy {
  /** Codes that are tried again. Google's policy for these methods retries UNAVAILABLE only. */
  readonly retryCodes: readonly CodeName[];
  /**
   * Also retry RESOURCE_EXHAUSTED (HTTP 429), but only when the server says when (Retry-After or
   * RetryInfo): a quota that resets tomorrow is not worth ten minutes of polling.
   */
  readonly retryRateLimited: boolean;
  /** The first backoff ceiling; each wait is a random share of the current ceiling (full jitter). */
  readonly initialDelayMs: number;
  /** How much the ceiling grows after each retry. */
  readonly delayMultiplier: number;
  /** The largest ceiling. */
  readonly maxDelayMs: number;
  /** How long one attempt may take before it fails with DEADLINE_EXCEEDED. */
  readonly attemptTimeoutMs: number;
  /** The budget of one call across all its attempts and waits. */
  readonly totalTimeoutMs: number;
  /**
   * An upper bound on attempts, the first included. Default 10: with the default backoff that is
   * about 15 s of waiting on average, and it bounds what one call can cost a struggling server even
   * when the server itself asks to be retried at once.
   */
  readonly maxAttempts: number;
}

/** Any part of a RetryPolicy; the rest keeps the default. `false` turns retries off. */
export type RetryOptions = Partial<RetryPolicy> | false;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retryCodes: ["UNAVAILABLE"],
  retryRateLimited: true,
  initialDelayMs: 1_000,
  delayMultiplier: 1.3,
  maxDelayMs: 60_000,
  attemptTimeoutMs: 60_000,
  totalTimeoutMs: 600_000,
  maxAttempts: 10,
};

/** Resolves RetryOptions into a full policy, refusing nonsense early. */
export function retryPolicyFrom(options: RetryOptions | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
  const policy = { ...DEFAULT_RETRY_POLICY, ...options };
  for (const key of ["initialDelayMs", "maxDelayMs", "attemptTimeoutMs", "totalTimeoutMs"] as const) {
    if (!(policy[key] >= 0))
      throw new ApiError("INVALID_ARGUMENT", `retry.${key} must be >= 0, got ${policy[key]}`);
  }
  if (!(policy.delayMultiplier >= 1)) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `retry.delayMultiplier must be >= 1, got ${policy.delayMultiplier}`,
    );
  }
  if (!(policy.maxAttempts >= 1)) {
    throw new ApiError("INVALID_ARGUMENT", `retry.maxAttempts must be >= 1, got ${policy.maxAttempts}`);
  }
  return policy;
}

// The server's "try again in N ms" travels with the error from the transport to the retry loop.
const retryAfterByError = new WeakMap<ApiError, number>();

/** Records the wait a server asked for (Retry-After) on the error it answered with. */
export function setRetryAfter(error: ApiError, delayMs: number): ApiError {
  retryAfterByError.set(error, delayMs);
  return error;
}

/** The wait the server asked for: the Retry-After header, else a google.rpc.RetryInfo detail. */
export function retryAfterOf(error: ApiError): number | undefined {
  const fromHeader = retryAfterByError.get(error);
  if (fromHeader !== undefined) return fromHeader;
  for (const detail of error.details) {
    if (detail["@type"] !== RETRY_INFO_TYPE) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ""));
    if (match) return Number(match[1]) * 1000;
  }
  return undefined;
}

/** Parses Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What the retry loop needs besides the policy. */
export interface RetryContext {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** A number in [0, 1): the jitter. Injected so tests get exact waits. */
  readonly random: () => number;
  /** The caller's signal (their abort and overall timeout); it also cuts a wait short. */
  readonly signal: AbortSignal;
  /** False for non-idempotent calls: the first failure is final. */
  readonly idempotent: boolean;
}

/**
 * Runs `attempt` until it succeeds, fails with a code the policy does not retry, or the budget is
 * spent; then the last error is thrown as it came. Each attempt gets its own signal that also fires
 * after `attemptTimeoutMs` (or what is left of the total budget, if less).
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  context: RetryContext,
): Promise<T> {
  const { policy, clock, random, signal, idempotent } = context;
  const deadline = clock.now() + policy.totalTimeoutMs;
  let ceiling = policy.initialDelayMs;
  for (let attempts = 1; ; attempts += 1) {
    const remaining = Math.max(0, deadline - clock.now());
    const attemptSignal = callSignal({ signal, timeoutMs: Math.min(policy.attemptTimeoutMs, remaining) });
    try {
      return await attempt(attemptSignal.signal);
    } catch (error) {
      // The caller's own abort or timeout ends the call, whatever the attempt saw.
      if (signal.aborted) throw signal.reason;
      if (!idempotent || !isApiError(error) || attempts >= policy.maxAttempts) throw error;
      const wait = waitBeforeRetry(error, policy, ceiling, random);
      if (wait === undefined || clock.now() + wait >= deadline) throw error;
      await sleep(clock, wait, signal);
      ceiling = Math.min(ceiling * policy.delayMultiplier, policy.maxDelayMs);
    } finally {
      attemptSignal.dispose();
    }
  }
}

function waitBeforeRetry(error: ApiError, policy: RetryPolicy, ceiling: number, random: () => number) {
  const askedFor = retryAfterOf(error);
  if (error.code === "RESOURCE_EXHAUSTED" && !policy.retryCodes.includes(error.code)) {
    // Only when the server says when; then as for any other retry, never sooner than the backoff.
    if (!policy.retryRateLimited || askedFor === undefined) return undefined;
    return Math.max(askedFor, random() * ceiling);
  }
  if (!policy.retryCodes.includes(error.code)) return undefined;
  // Full jitter, as google-gax does: a random share of the ceiling keeps many clients from
  // retrying in lockstep. A server's Retry-After can lengthen the wait, never shorten it: a server
  // (or a proxy) that says "Retry-After: 0" would otherwise get hundreds of requests a second.
  return Math.max(askedFor ?? 0, random() * ceiling);
}
