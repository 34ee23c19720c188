// The session's timers by purpose ("refresh", "spinner", "reread:<name>"): setting one replaces the
// earlier timer of that purpose, and stopping the session clears them all at once.
import type { Clock } from "@jobrun/core";

export interface Timers {
  /** Runs `callback` after `ms`, replacing any timer already set for `purpose`. */
  set(purpose: string, callback: () => void, ms: number): void;
  clear(purpose: string): void;
  clearAll(): void;
}

export function createTimers(clock: Clock): Timers {
  const handles = new Map<string, unknown>();
  const clear = (purpose: string) => {
    const handle = handles.get(purpose);
    if (handle === undefined) return;
    clock.clearTimeout(handle);
    handles.delete(purpose);
  };
  return {
    set(purpose, callback, ms) {
      clear(purpose);
      const handle = clock.setTimeout(() => {
        handles.delete(purpose);
        callback();
      }, ms);
      handles.set(purpose, handle);
    },
    clear,
    clearAll() {
      for (const purpose of [...handles.keys()]) clear(purpose);
    },
  };
}
