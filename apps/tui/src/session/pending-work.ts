// The calls under way (loads, terminates, re-reads), so tests and the bench can wait until the
// session has nothing left to settle.

export interface PendingWork {
  /** Remembers `promise` until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Resolves once nothing is under way (work started meanwhile is waited for too). */
  idle(): Promise<void>;
}

export function createPendingWork(): PendingWork {
  const pending = new Set<Promise<unknown>>();
  return {
    track(promise) {
      pending.add(promise);
      void promise.finally(() => pending.delete(promise)).catch(() => {});
      return promise;
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
