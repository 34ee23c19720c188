import { createEmulator, type Emulator } from "@jobrun/emulator";

export interface EmulatorBackendOptions {
  /** An import document `{"jobRuns":[…]}`; without it the live demo world is seeded and started. */
  readonly jobRuns?: unknown;
  /** How long a terminated run stays TERMINATING. The emulator's default (2 s) otherwise. */
  readonly terminateDelayMs?: number;
  /** Signs page tokens; give one to keep tokens valid across Worker isolates. Random otherwise. */
  readonly pageTokenSecret?: string;
}

/**
 * The in-memory backend, the default when the proxy runs locally. With imported data the runs stay as
 * imported (a fixture); without, the demo world is started, so runs progress and new ones appear.
 * Call `stop()` on shutdown so no timer is left behind.
 */
export function createEmulatorBackend(options: EmulatorBackendOptions = {}): Emulator {
  const emulator = createEmulator({
    ...(options.jobRuns === undefined ? { demo: true } : { jobRuns: options.jobRuns, demo: false }),
    ...(options.terminateDelayMs === undefined ? {} : { terminateDelayMs: options.terminateDelayMs }),
    ...(options.pageTokenSecret === undefined ? {} : { pageTokenSecret: options.pageTokenSecret }),
  });
  if (options.jobRuns === undefined) emulator.start();
  return emulator;
}
