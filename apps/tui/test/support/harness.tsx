import { stripVTControlCharacters } from "node:util";
// Runs the real App on an emulator with a manual clock, under ink-testing-library.
import type { JobRunJson, JobRunService } from "@jobrun/core";
import { createEmulator, createManualClock, type Emulator, type ManualClock } from "@jobrun/emulator";
import { render } from "ink-testing-library";
import { createSession, type Session } from "../../src/session/session.js";
import type { LiveWatch } from "../../src/source/live-updates.js";
import { initialState, type State, type TerminalSize } from "../../src/state/state.js";
import { createStore, type Store } from "../../src/state/store.js";
import type { Browser } from "../../src/terminal/browser.js";
import { createTheme } from "../../src/theme.js";
import { App } from "../../src/views/App.js";
import { ALL, NOW } from "./fixtures.js";

/** Key sequences as a terminal sends them. */
export const keys = {
  down: "\u001b[B",
  up: "\u001b[A",
  enter: "\r",
  escape: "\u001b",
  pageDown: "\u001b[6~",
  pageUp: "\u001b[5~",
  backspace: "\u007f",
  ctrlC: "\u0003",
  ctrlD: "\u0004",
  ctrlR: "\u0012",
} as const;

export interface Harness {
  readonly clock: ManualClock;
  readonly emulator: Emulator;
  readonly store: Store;
  readonly session: Session;
  readonly copied: string[];
  /** How many calls of each RPC the UI made. */
  readonly calls: { list: number; get: number; terminate: number };
  readonly quits: { count: number };
  /** The last frame as plain text (ANSI styles removed). */
  frame(): string;
  /** The last frame with its ANSI styles. */
  rawFrame(): string;
  /** Types keys (one write each) and waits for the UI to settle. */
  press(...sequences: string[]): Promise<void>;
  /** Types keys and waits only for the screen, not for calls under way (to look at a call in flight). */
  pressOnly(...sequences: string[]): Promise<void>;
  /** Moves the clock (firing refresh and emulator timers) and waits for the UI to settle. */
  advance(ms: number): Promise<void>;
  state(): State;
  unmount(): void;
}

export interface HarnessOptions {
  readonly runs?: readonly JobRunJson[];
  readonly size?: TerminalSize;
  readonly readonly?: boolean;
  readonly colour?: boolean;
  readonly refreshSeconds?: number;
  readonly parent?: string;
  readonly terminateDelayMs?: number;
  /** Replaces the service's terminate (to lose its answer, say); it gets the emulator's. */
  readonly terminate?: (real: JobRunService["terminateJobRun"]) => JobRunService["terminateJobRun"];
  /** What `l` and `o` find: by default no browser, so they copy. */
  readonly browser?: Browser;
  /** The list keeps up through a watch: the emulator's own, or this one. Default none (a timer). */
  readonly watch?: "emulator" | LiveWatch;
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

export async function startApp(options: HarnessOptions = {}): Promise<Harness> {
  const clock = createManualClock(NOW);
  const emulator = createEmulator({
    clock,
    demo: false,
    jobRuns: { jobRuns: options.runs ?? [] },
    terminateDelayMs: options.terminateDelayMs ?? 2000,
  });
  const store = createStore(
    initialState({
      parent: options.parent ?? ALL,
      readonly: options.readonly ?? false,
      size: options.size ?? { columns: 100, rows: 20 },
      refreshSeconds: options.refreshSeconds ?? 3,
    }),
  );
  const copied: string[] = [];
  const calls = { list: 0, get: 0, terminate: 0 };
  const service: JobRunService = {
    listJobRuns: (request, callOptions) => {
      calls.list++;
      return emulator.listJobRuns(request, callOptions);
    },
    getJobRun: (request, callOptions) => {
      calls.get++;
      return emulator.getJobRun(request, callOptions);
    },
    terminateJobRun: (request, callOptions) => {
      calls.terminate++;
      const real: JobRunService["terminateJobRun"] = (r, o) => emulator.terminateJobRun(r, o);
      return (options.terminate?.(real) ?? real)(request, callOptions);
    },
  };
  const quits = { count: 0 };
  const session = createSession({
    service,
    store,
    clock,
    clipboard: (text) => {
      copied.push(text);
      return { verb: "Copied", where: "the clipboard" };
    },
    browser: options.browser ?? (async () => ({ opened: false, why: "no browser in tests" })),
    refreshSeconds: options.refreshSeconds ?? 3,
    watch: options.watch === "emulator" ? emulator : options.watch,
    onQuit: () => {
      quits.count++;
    },
  });
  const ink = render(
    <App
      store={store}
      session={session}
      theme={createTheme(options.colour ?? false)}
      now={() => clock.now()}
      source="test"
      trackResize={false}
    />,
  );
  await settle();
  session.start();
  await session.idle();
  await settle();
  const harness: Harness = {
    clock,
    emulator,
    store,
    session,
    copied,
    calls,
    quits,
    frame: () => stripVTControlCharacters(ink.lastFrame() ?? ""),
    rawFrame: () => ink.lastFrame() ?? "",
    async press(...sequences) {
      for (const sequence of sequences) {
        ink.stdin.write(sequence);
        await settle();
        await session.idle();
      }
      await settle();
    },
    async pressOnly(...sequences) {
      for (const sequence of sequences) {
        ink.stdin.write(sequence);
        await settle();
      }
      await settle();
    },
    async advance(ms) {
      clock.advance(ms);
      await session.idle();
      await settle();
    },
    state: () => store.getState(),
    unmount() {
      session.stop();
      emulator.stop();
      ink.unmount();
    },
  };
  return harness;
}
