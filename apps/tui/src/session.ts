// The session connects keys, the store and the backend: it turns a key press into state changes
// (through the reducer) and into the calls they need (list, terminate, copy), and keeps the list
// fresh on a timer. Time comes from the injected clock only.
import { encodeJson, isActive, JobRunSchema, type JobRunService } from "@jobrun/core";
import type { Clock } from "@jobrun/emulator";
import type { Key } from "ink";
import { parseCommand } from "./commands.js";
import { explainError } from "./errors.js";
import { shortJobRunId } from "./format/run-fields.js";
import { bindingFor, type Intent, type KeyContext } from "./keymap.js";
import { type ListingQuery, listFirst, listNext, PAGE_SIZE } from "./source/listing.js";
import { nextRefreshDelayMs } from "./source/refresh-policy.js";
import { listBodyHeight, pageBodyHeight } from "./state/layout.js";
import { selectedRun } from "./state/reducer.js";
import { orderByOf, toggledSort } from "./state/sort.js";
import type { State } from "./state/state.js";
import type { Store } from "./state/store.js";
import type { Clipboard } from "./terminal/clipboard.js";
import { consoleUrlOf } from "./terminal/console-url.js";
import { detailLines } from "./views/detail-lines.js";
import { helpLines } from "./views/help-lines.js";

/** How often the spinner moves. */
export const SPINNER_INTERVAL_MS = 120;
/** How soon after a terminate the list is re-read, to follow the run to TERMINATED. */
const AFTER_TERMINATE_REFRESH_MS = 500;

/** Whether a read is text to type: no control characters. */
function isPrintable(input: string): boolean {
  return input !== "" && Array.from(input).every((char) => char >= " " && char !== "\u007f");
}

/** One character of a multi-key read as Ink would have reported it alone. */
function singleKey(char: string, key: Key): [string, Key] {
  const isReturn = char === "\r" || char === "\n";
  const isBackspace = char === "\u007f" || char === "\b";
  const named = { ...key, return: isReturn, backspace: isBackspace, shift: /[A-Z]/.test(char) };
  return [isReturn || isBackspace ? "" : char, named];
}

export interface SessionOptions {
  readonly service: JobRunService;
  readonly store: Store;
  readonly clock: Clock;
  readonly clipboard: Clipboard;
  /** Seconds between refreshes while runs move; 0 refreshes only on `r`. */
  readonly refreshSeconds: number;
  /** The remote endpoint, for error messages; undefined for the embedded emulator. */
  readonly endpoint?: string | undefined;
  /** Called once when the user quits. */
  readonly onQuit: () => void;
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
  /** Resolves when no load or terminate is under way (tests and the bench wait on it). */
  idle(): Promise<void>;
}

export function createSession(options: SessionOptions): Session {
  const { service, store, clock, clipboard } = options;
  let generation = 0;
  let stopped = false;
  let refreshTimer: unknown;
  let spinnerTimer: unknown;
  const pending = new Set<Promise<unknown>>();

  const state = () => store.getState();
  const dispatch = store.dispatch;

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => {});
    return promise;
  }

  function queryOf(s: State): ListingQuery {
    return { parent: s.parent, filter: s.serverFilter, orderBy: orderByOf(s.sort) };
  }

  function scheduleRefresh(delayMs: number | undefined): void {
    if (refreshTimer !== undefined) clock.clearTimeout(refreshTimer);
    refreshTimer = undefined;
    if (stopped || delayMs === undefined) return;
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = undefined;
      void refresh();
    }, delayMs);
  }

  function scheduleByActivity(): void {
    const s = state();
    scheduleRefresh(nextRefreshDelayMs(options.refreshSeconds, s.runs, s.terminating.size));
  }

  function refresh(): Promise<void> {
    const mine = ++generation;
    const s = state();
    dispatch({ type: "loadStarted", kind: "refresh" });
    return loadPage(mine, listFirst(service, queryOf(s), Math.max(PAGE_SIZE, s.runs.length)), false);
  }

  /** Fetches the next page when the cursor is within a screen of the last loaded row. */
  function loadMoreIfNear(): void {
    const s = state();
    if (s.loading !== "none" || s.nextPageToken === "" || s.view !== "list") return;
    if (s.cursor < s.rows.length - 1 - listBodyHeight(s.size)) return;
    dispatch({ type: "loadStarted", kind: "more" });
    void loadPage(generation, listNext(service, queryOf(s), s.nextPageToken), true);
  }

  /**
   * Settles one page load: a refresh replaces the rows and re-arms the refresh timer, a further page
   * appends. An answer from an older generation (the query changed meanwhile) is dropped.
   */
  function loadPage(mine: number, page: ReturnType<typeof listNext>, append: boolean): Promise<void> {
    return track(
      page.then(
        ({ runs, nextPageToken }) => {
          if (stopped || mine !== generation) return;
          dispatch({ type: "loaded", runs, nextPageToken, atMs: clock.now(), append });
          if (!append) scheduleByActivity();
          loadMoreIfNear();
        },
        (error: unknown) => {
          if (stopped || mine !== generation) return;
          dispatch({ type: "loadFailed", message: explainError(error, "list", options.endpoint).message });
          if (!append) scheduleByActivity();
        },
      ),
    );
  }

  function terminate(name: string): void {
    dispatch({ type: "terminateRequested", name });
    void track(
      service.terminateJobRun({ name }).then(
        () => {
          if (stopped) return;
          dispatch({
            type: "showMessage",
            message: { text: `Terminating ${shortJobRunId(name)}…`, tone: "info" },
          });
          scheduleRefresh(AFTER_TERMINATE_REFRESH_MS);
        },
        (error: unknown) => {
          if (stopped) return;
          // The full name is long and already on screen; the id keeps the reason within the footer.
          const { message } = explainError(error, "terminate", options.endpoint);
          dispatch({ type: "terminateFailed", name, message: message.replaceAll(name, shortJobRunId(name)) });
        },
      ),
    );
  }

  function copy(what: string, text: string): void {
    clipboard(text);
    dispatch({ type: "showMessage", message: { text: `Copied ${what} to the clipboard.`, tone: "info" } });
  }

  function pageLength(s: State): number {
    if (s.view === "help") return helpLines({ readonly: s.readonly }).length;
    const run = selectedRun(s);
    return run === undefined ? 0 : detailLines(run, clock.now()).length;
  }

  function scrollPage(by: number | "top" | "bottom"): void {
    const s = state();
    const max = pageLength(s) - pageBodyHeight(s.size);
    const delta = by === "top" ? -s.pageScroll : by === "bottom" ? max - s.pageScroll : by;
    dispatch({ type: "scrollPage", by: delta, max });
  }

  function applyScope(change: Parameters<Store["dispatch"]>[0] & { type: "setScope" }): void {
    dispatch(change);
    void refresh();
  }

  function perform(intent: Intent): void {
    const s = state();
    const onList = s.view === "list";
    switch (intent) {
      case "down":
      case "up": {
        const by = intent === "down" ? 1 : -1;
        if (onList) dispatch({ type: "move", by });
        else scrollPage(by);
        break;
      }
      case "top":
      case "bottom":
        if (onList) dispatch({ type: "moveTo", where: intent === "top" ? "first" : "last" });
        else scrollPage(intent);
        break;
      case "pageDown":
      case "pageUp": {
        const direction = intent === "pageDown" ? 1 : -1;
        if (onList) dispatch({ type: "page", direction });
        else scrollPage(direction * pageBodyHeight(s.size));
        break;
      }
      case "open":
        dispatch({ type: "openDetails" });
        break;
      case "back":
        dispatch({ type: "back" });
        break;
      case "help":
        dispatch({ type: "showHelp" });
        break;
      case "filter":
        dispatch({ type: "startInput", mode: "filter" });
        break;
      case "command":
        dispatch({ type: "startInput", mode: "command" });
        break;
      case "refresh":
        void refresh();
        break;
      case "copyName":
      case "copyConsoleUrl":
      case "copyJson": {
        const run = selectedRun(s);
        if (run === undefined) break;
        if (intent === "copyName") copy("the name", run.name);
        else if (intent === "copyConsoleUrl")
          copy(`the Console URL (${consoleUrlOf(run.name)})`, consoleUrlOf(run.name));
        else copy("the run as JSON", JSON.stringify(encodeJson(JobRunSchema, run), null, 2));
        break;
      }
      case "terminate":
        dispatch({ type: "askTerminate" });
        break;
      case "confirmYes":
        if (s.confirmName !== undefined) terminate(s.confirmName);
        break;
      case "confirmNo":
        dispatch({ type: "cancelTerminate" });
        break;
      case "quit":
        options.onQuit();
        break;
      default: {
        const field = intent.slice("sort:".length) as Parameters<typeof toggledSort>[1];
        applyScope({ type: "setScope", sort: toggledSort(s.sort, field) });
      }
    }
    if (onList) loadMoreIfNear();
  }

  function submitCommand(line: string): void {
    dispatch({ type: "endInput", keep: true });
    const result = parseCommand(line, state().parent);
    if (!result.ok) {
      dispatch({ type: "showMessage", message: { text: result.error, tone: "error" } });
      return;
    }
    const { command } = result;
    switch (command.kind) {
      case "quit":
        options.onQuit();
        return;
      case "filter":
        applyScope({ type: "setScope", serverFilter: command.expression });
        return;
      case "sort":
        applyScope({ type: "setScope", sort: command.order });
        return;
      case "rollout":
        applyScope({ type: "setScope", parent: command.parent });
        return;
    }
  }

  function editLine(input: string, key: Key): void {
    // Text and an Enter typed in one go ("verify\r") arrive as one read: take them in order.
    if (input.length > 1 && /[\r\n\u007f\b]/.test(input)) {
      const chars = Array.from(input);
      for (const [i, char] of chars.entries()) {
        if (state().mode !== "filter" && state().mode !== "command") {
          // The line was submitted: what follows are key presses again.
          session.handleKey(chars.slice(i).join(""), key);
          return;
        }
        editLine(...singleKey(char, key));
      }
      return;
    }
    const s = state();
    if (key.ctrl && input === "c") {
      options.onQuit();
    } else if (key.escape) {
      dispatch({ type: "endInput", keep: false });
    } else if (key.return) {
      if (s.mode === "command") submitCommand(s.draft);
      else dispatch({ type: "endInput", keep: true });
    } else if (key.backspace || key.delete) {
      // Backspace on an empty command line leaves it, as in vim.
      if (s.draft === "" && s.mode === "command") dispatch({ type: "endInput", keep: false });
      else dispatch({ type: "editDraft", text: s.draft.slice(0, -1) });
    } else if (key.ctrl && input === "u") {
      dispatch({ type: "editDraft", text: "" });
    } else if (!key.ctrl && !key.meta && isPrintable(input)) {
      dispatch({ type: "editDraft", text: s.draft + input });
    }
  }

  function tickSpinner(): void {
    spinnerTimer = clock.setTimeout(() => {
      if (stopped) return;
      const s = state();
      const visible = s.rows.slice(s.scrollTop, s.scrollTop + listBodyHeight(s.size));
      // Ticking only while a visible run moves keeps an idle screen still (and cheap).
      if (s.view === "list" && s.mode !== "confirm" && visible.some((run) => isActive(run.state))) {
        dispatch({ type: "tick" });
      }
      tickSpinner();
    }, SPINNER_INTERVAL_MS);
  }

  const session: Session = {
    start() {
      stopped = false;
      void refresh();
      tickSpinner();
    },
    stop() {
      stopped = true;
      generation++;
      if (refreshTimer !== undefined) clock.clearTimeout(refreshTimer);
      if (spinnerTimer !== undefined) clock.clearTimeout(spinnerTimer);
      refreshTimer = undefined;
      spinnerTimer = undefined;
    },
    refresh,
    handleKey(input, key) {
      const s = state();
      // A terminal delivers keys typed quickly, or held down, in one read ("jjj"): in command
      // modes each character is its own key press. Text lines take the whole string (a paste).
      if (input.length > 1 && !key.ctrl && !key.meta && (s.mode === "normal" || s.mode === "confirm")) {
        for (const char of Array.from(input)) session.handleKey(...singleKey(char, key));
        return;
      }
      if (s.message !== undefined && s.mode === "normal")
        dispatch({ type: "showMessage", message: undefined });
      if (s.mode === "filter" || s.mode === "command") return editLine(input, key);
      const context: KeyContext = s.mode === "confirm" ? "confirm" : s.view;
      const binding = bindingFor(context, input, key, { readonly: s.readonly });
      if (binding !== undefined) perform(binding.intent);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
  return session;
}
