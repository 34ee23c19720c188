// The session wires the parts of a running UI together: the data source (list and get), the
// refresh timer, the user actions the keymap calls, the key input and the spinner. Time comes from
// the injected clock only.
import type { Clock, JobRunService } from "@jobrun/core";
import type { Key } from "ink";
import { createDataSource } from "../source/data-source.js";
import { createLiveUpdates, type LiveWatch } from "../source/live-updates.js";
import { createRefreshTimer } from "../source/refresh-policy.js";
import type { StatusMessage } from "../state/state.js";
import type { Store } from "../state/store.js";
import type { Browser } from "../terminal/browser.js";
import type { Clipboard } from "../terminal/clipboard.js";
import { createUserActions } from "./actions.js";
import { createKeyInput } from "./key-input.js";
import { createPendingWork } from "./pending-work.js";
import { startSpinner } from "./spinner.js";
import { createTimers } from "./timers.js";

/** How long a message stays: long enough to read an error and its fix, short enough not to hide the keys. */
export function messageLifetimeMs(message: StatusMessage): number {
  if (message.offersLoadAll === true) return 10_000;
  return message.tone === "error" ? 10_000 : 4_000;
}

export interface SessionOptions {
  readonly service: JobRunService;
  readonly store: Store;
  readonly clock: Clock;
  readonly clipboard: Clipboard;
  /** Opens URLs (`l`, `o`); where it cannot, they are copied. */
  readonly browser: Browser;
  /** Seconds between refreshes while runs move; 0 refreshes only on `r`. */
  readonly refreshSeconds: number;
  /** The remote endpoint, for error messages; undefined for the embedded emulator. */
  readonly endpoint?: string | undefined;
  /** Called once when the user quits. */
  readonly onQuit: () => void;
  /**
   * The backend's watch, when it has one (the embedded emulator, a client of a jobrun proxy): the
   * list then keeps up live, and is refreshed on a timer only where the watch is not live.
   */
  readonly watch?: LiveWatch | undefined;
}

export interface Session {
  /** Loads the first page and starts the refresh and spinner timers. */
  start(): void;
  /** Stops every timer and ignores answers still under way. */
  stop(): void;
  /** Reloads now (what `r` does). */
  refresh(): Promise<void>;
  /** Handles one key press as Ink reports it. */
  handleKey(input: string, key: Key): void;
  /** Resolves when no load, terminate or re-read is under way (tests and the bench wait on it). */
  idle(): Promise<void>;
}

export function createSession(options: SessionOptions): Session {
  const { service, store, clock } = options;
  let running = false;
  const work = createPendingWork();
  const timers = createTimers(clock);
  const source = createDataSource({
    service,
    store,
    clock,
    work,
    endpoint: options.endpoint,
    onRefreshSettled: () => refreshTimer.scheduleByActivity(),
  });
  const refreshTimer = createRefreshTimer({
    timers,
    store,
    refreshSeconds: options.refreshSeconds,
    // A refresh would cut a load of every page short: it waits for its end.
    refresh: () =>
      store.getState().loading === "all" ? refreshTimer.scheduleByActivity() : void source.refresh(),
  });
  const live =
    options.watch === undefined
      ? undefined
      : createLiveUpdates({
          watch: options.watch,
          store,
          clock,
          timers,
          refresh: () => (store.getState().loading === "all" ? undefined : void source.refresh()),
          onModeChanged: () => refreshTimer.scheduleByActivity(),
        });
  const actions = createUserActions({
    store,
    service,
    source,
    timers,
    work,
    clipboard: options.clipboard,
    browser: options.browser,
    now: () => clock.now(),
    running: () => running,
    endpoint: options.endpoint,
    onQuit: options.onQuit,
  });
  // A message ends after a few seconds if nothing ended it before (a key, or the end of what it describes).
  let shown: StatusMessage | undefined;
  let unsubscribe = () => {};
  const expireMessages = () => {
    const { message } = store.getState();
    if (message === shown) return;
    shown = message;
    if (message === undefined) timers.clear("message");
    else
      timers.set(
        "message",
        () => store.dispatch({ type: "expireMessage", message }),
        messageLifetimeMs(message),
      );
  };
  return {
    start() {
      running = true;
      source.start();
      unsubscribe = store.subscribe(expireMessages);
      void source.refresh();
      live?.start();
      startSpinner(store, timers);
    },
    stop() {
      running = false;
      live?.stop();
      source.stop();
      unsubscribe();
      timers.clearAll();
    },
    refresh: () => source.refresh(),
    handleKey: createKeyInput(store, actions),
    idle: () => work.idle(),
  };
}
