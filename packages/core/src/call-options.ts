import { ApiError } from "./errors/api-error.js";
import { setLongTimeout } from "./long-timeout.js";
import type { CallOptions } from "./service.js";

/** An AbortSignal that fires on the caller's signal or on the timeout, and the means to stop the timer. */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** Clears the timer; call it when the call settles so no timer outlives it. */
  dispose(): void;
}

/**
 * Combines `signal` and `timeoutMs` of CallOptions into one AbortSignal whose `reason` is already the
 * ApiError the call should reject with: CANCELLED for the caller's abort, DEADLINE_EXCEEDED for the
 * timeout. Every JobRunService implementation uses it so they all fail alike.
 */
export function callSignal(options: CallOptions = {}): CallSignal {
  const { signal, timeoutMs } = options;
  // Checked before any listener is attached, so a refused call leaves nothing behind.
  checkTimeout(timeoutMs);
  const controller = new AbortController();
  if (timeoutMs === 0) {
    // A zero deadline has passed before any work can start: abort now, not on a timer that a fast
    // answer could beat.
    controller.abort(zeroDeadlineError());
    return { signal: controller.signal, dispose() {} };
  }
  let cancelTimer: (() => void) | undefined;
  const onAbort = () => controller.abort(cancelledError(signal?.reason));
  if (signal?.aborted) {
    onAbort();
  } else {
    signal?.addEventListener("abort", onAbort, { once: true });
  }
  if (timeoutMs !== undefined && !controller.signal.aborted) {
    cancelTimer = setLongTimeout(
      () =>
        controller.abort(new ApiError("DEADLINE_EXCEEDED", `the call did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  }
  return {
    signal: controller.signal,
    dispose() {
      cancelTimer?.();
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

/**
 * The error a call must fail with before doing any work, or `undefined` to go ahead: CANCELLED when
 * its signal has already aborted, DEADLINE_EXCEEDED for a zero deadline, INVALID_ARGUMENT for a
 * timeout that is not a duration. A backend whose work is synchronous (the emulator) needs nothing
 * more than this check, and so no AbortController per call.
 */
export function callOptionsError(options: CallOptions): ApiError | undefined {
  try {
    checkTimeout(options.timeoutMs);
  } catch (error) {
    return error as ApiError;
  }
  if (options.signal?.aborted) return cancelledError(options.signal.reason);
  if (options.timeoutMs === 0) return zeroDeadlineError();
  return undefined;
}

function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 0)) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `timeoutMs must be a non-negative number of milliseconds, got ${timeoutMs}`,
    );
  }
}

function zeroDeadlineError(): ApiError {
  return new ApiError("DEADLINE_EXCEEDED", "the call did not finish within 0 ms");
}

function cancelledError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  return new ApiError("CANCELLED", "the call was cancelled by the caller", { cause: reason });
}

/** Rejects with the signal's reason as soon as it aborts; resolves with `work` otherwise. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
