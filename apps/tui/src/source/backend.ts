// Where the runs come from: the embedded emulator's live demo, or a REST endpoint through
// @jobrun/client with credentials found the way gcloud users expect.
import type { JobRunService } from "@jobrun/core";
import { type Clock, isLoopback } from "@jobrun/core";
import { createEmulator } from "@jobrun/emulator";
import type { LiveWatch } from "./live-updates.js";

export interface Backend {
  readonly service: JobRunService;
  /**
   * The backend's live watch: the emulator's own, or the client's (live against a jobrun proxy; it
   * reports "polling" against an endpoint without one, and the refresh timer then does the work).
   */
  readonly watch?: LiveWatch | undefined;
  /** For the header: "demo (embedded emulator)" or the endpoint. */
  readonly label: string;
  /** The endpoint, for error messages; undefined for the emulator. */
  readonly endpoint: string | undefined;
  /** Starts whatever moves by itself (the demo world). */
  start(): void;
  stop(): void;
}

export interface BackendOptions {
  readonly endpoint: string | undefined;
  readonly accessToken: string | undefined;
  readonly seed: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
}

/** The emulator's live demo in this process. */
export function demoBackend(options: { readonly seed: number; readonly clock?: Clock }): Backend {
  const emulator = createEmulator({
    demo: true,
    seed: options.seed,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    service: emulator,
    watch: emulator,
    label: "demo (embedded emulator)",
    endpoint: undefined,
    start: () => emulator.start(),
    stop: () => emulator.stop(),
  };
}

/** The backend for the flags: the demo, or a client of `endpoint`. */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const { endpoint } = options;
  if (endpoint === undefined) return demoBackend(options);
  // The client and its credential lookup load only for an endpoint: the demo starts without them.
  const [{ createJobRunsClient, staticToken }, { fromEnvironment }] = await Promise.all([
    import("@jobrun/client"),
    import("@jobrun/client/node"),
  ]);
  // A local proxy (emulator mode) wants no credentials; looking for them would only slow start-up.
  const auth =
    options.accessToken !== undefined
      ? staticToken(options.accessToken)
      : isLoopback(new URL(endpoint).hostname)
        ? undefined
        : await fromEnvironment({ env: options.env });
  const client = createJobRunsClient({
    endpoint,
    userAgent: "jobrun-tui",
    // A person is waiting and the list refreshes by itself: fail fast (one retry, 15 s) rather than
    // follow Google's ten-minute retry budget.
    retry: { maxAttempts: 2, attemptTimeoutMs: 15_000, totalTimeoutMs: 15_000 },
    ...(auth === undefined ? {} : { auth }),
  });
  return {
    service: client,
    watch: client,
    label: client.endpoint,
    endpoint: client.endpoint,
    start() {},
    stop() {},
  };
}
