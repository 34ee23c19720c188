// What the keys do: every handler the keymap's bindings call. Each action turns into reducer
// actions on the store and, where needed, calls through the data source (list, get) or the service
// (terminate), the clipboard, the browser, or the timers.
import { encodeJson, isApiError, type JobRun, JobRunSchema, type JobRunService } from "@jobrun/core";
import { parseCommand } from "../commands.js";
import { explainError } from "../errors.js";
import { shortJobRunId } from "../format/run-fields.js";
import type { DataSource } from "../source/data-source.js";
import { pageBodyHeight } from "../state/layout.js";
import { selectedRun } from "../state/reducer.js";
import { toggledSort } from "../state/sort.js";
import type { Scope, State, StatusMessage } from "../state/state.js";
import type { Store } from "../state/store.js";
import type { Browser } from "../terminal/browser.js";
import type { Clipboard } from "../terminal/clipboard.js";
import { buildLogUrlOf, buildOf, consoleUrlOf } from "../terminal/console-url.js";
import { detailLines } from "../views/detail-lines.js";
import { helpLines } from "../views/help-lines.js";
import type { PendingWork } from "./pending-work.js";
import type { Timers } from "./timers.js";
import type { UserActions } from "./user-actions.js";

/** How soon after an accepted terminate the run is re-read, to show the server's new state. */
export const AFTER_TERMINATE_REREAD_MS = 500;

export interface UserActionsOptions {
  readonly store: Store;
  readonly service: JobRunService;
  readonly source: DataSource;
  readonly timers: Timers;
  readonly work: PendingWork;
  readonly clipboard: Clipboard;
  readonly browser: Browser;
  readonly now: () => number;
  /** Whether the session still runs (answers arriving after stop are ignored). */
  readonly running: () => boolean;
  /** The remote endpoint, for error messages; undefined for the embedded emulator. */
  readonly endpoint: string | undefined;
  readonly onQuit: () => void;
}

/** Errors after which a sent request may or may not have been applied: no answer came. */
const unansweredCodes = new Set([
  "DEADLINE_EXCEEDED",
  "UNAVAILABLE",
  "UNKNOWN",
  "INTERNAL",
  "CANCELLED",
  "ABORTED",
]);

function outcomeUnknown(error: unknown): boolean {
  return !isApiError(error) || unansweredCodes.has(error.code);
}

export function createUserActions(options: UserActionsOptions): UserActions {
  const { store, source, timers, work } = options;
  const state = () => store.getState();
  const dispatch = store.dispatch;
  const say = (text: string, tone: StatusMessage["tone"] = "info", extra: Partial<StatusMessage> = {}) =>
    dispatch({ type: "showMessage", message: { text, tone, ...extra } });

  function pageLength(s: State): number {
    if (s.view === "help") return helpLines({ readonly: s.readonly, columns: s.size.columns }).length;
    const run = selectedRun(s);
    return run === undefined ? 0 : detailLines(run, options.now(), s.size.columns).length;
  }

  function scroll(by: number | "top" | "bottom"): void {
    const s = state();
    const max = pageLength(s) - pageBodyHeight(s);
    const delta = by === "top" ? -s.pageScroll : by === "bottom" ? max - s.pageScroll : by;
    dispatch({ type: "scrollPage", by: delta, max });
  }

  function moveOnList(by: number | "first" | "last"): void {
    const s = state();
    if (by === "last" && s.message?.offersLoadAll === true && s.nextPageToken !== "") {
      void source.loadAll();
      return;
    }
    dispatch(typeof by === "number" ? { type: "move", by } : { type: "moveTo", where: by });
    source.loadMoreIfNear();
    const after = state();
    if (by === "last" && after.nextPageToken !== "" && after.loading !== "all") {
      say(`${after.runs.length} runs loaded and more on the server: G again loads every page.`, "info", {
        offersLoadAll: true,
      });
    }
  }

  function changeScope(change: Partial<Scope>): void {
    const s = state();
    void source.changeScope({
      parent: change.parent ?? s.parent,
      serverFilter: change.serverFilter ?? s.serverFilter,
      sort: "sort" in change ? change.sort : s.sort,
    });
  }

  function copy(what: string, text: string): void {
    const { verb, where } = options.clipboard(text);
    say(`${verb} ${what} to ${where}.`);
  }

  function withSelected(act: (run: JobRun) => void): void {
    const run = selectedRun(state());
    if (run !== undefined) act(run);
  }

  function open(what: string, url: string): void {
    void work.track(
      options.browser(url).then((result) => {
        if (!options.running()) return;
        if (result.opened) say(`Opened ${what} in the browser (${result.how}).`);
        else {
          const { verb, where } = options.clipboard(url);
          say(`No browser to open (${result.why}): ${verb.toLowerCase()} ${what}'s URL to ${where}.`);
        }
      }),
    );
  }

  function terminate(name: string): void {
    const id = shortJobRunId(name);
    dispatch({ type: "terminateRequested", name });
    say(`Terminate of ${id} sent; waiting for the answer…`, "info", { about: name });
    void work.track(
      options.service.terminateJobRun({ name }).then(
        () => {
          if (!options.running()) return;
          dispatch({ type: "terminateAccepted", name });
          say(`Terminating ${id}…`, "info", { about: name });
          // One run changed: read that one, not every loaded page again.
          timers.set(`reread:${name}`, () => void source.reread(name), AFTER_TERMINATE_REREAD_MS);
        },
        (error: unknown) => {
          if (!options.running()) return;
          const { message } = explainError(error, "terminate", options.endpoint);
          if (outcomeUnknown(error)) {
            // The request went out; the server may well have applied it. Ask it.
            const reason = isApiError(error) ? `${error.code}: ${error.message}` : message;
            dispatch({
              type: "terminateUnknown",
              name,
              message: `No answer to the terminate of ${id} (${reason.replaceAll(name, id)}): outcome unknown; reading the run again…`,
            });
            void source.reread(name);
            return;
          }
          // The full name is long and already on screen; the id keeps the reason within the footer.
          dispatch({ type: "terminateFailed", name, message: message.replaceAll(name, id) });
        },
      ),
    );
  }

  function submitCommand(line: string): void {
    dispatch({ type: "endInput", keep: true });
    const s = state();
    const result = parseCommand(line, s.homeParent);
    if (!result.ok) {
      say(result.error, "error");
      return;
    }
    const { command } = result;
    switch (command.kind) {
      case "quit":
        options.onQuit();
        return;
      case "filter":
        changeScope({ serverFilter: command.expression });
        return;
      case "sort":
        changeScope({ sort: command.order });
        return;
      case "rollout":
        changeScope({ parent: command.parent });
        return;
    }
  }

  return {
    move: (by) => (state().view === "list" ? moveOnList(by) : scroll(by)),
    moveTo: (where) =>
      state().view === "list" ? moveOnList(where) : scroll(where === "first" ? "top" : "bottom"),
    movePage(direction) {
      if (state().view !== "list") return scroll(direction * pageBodyHeight(state()));
      dispatch({ type: "page", direction });
      source.loadMoreIfNear();
    },
    openDetails: () => dispatch({ type: "openDetails" }),
    showHelp: () => dispatch({ type: "showHelp" }),
    back() {
      dispatch({ type: "back" });
      source.loadMoreIfNear();
    },
    startLine: (mode) => dispatch({ type: "startInput", mode }),
    sortBy: (field) => changeScope({ sort: toggledSort(state().sort, field) }),
    refresh: () => void source.refresh(),
    copyName: () => withSelected((run) => copy("the name", run.name)),
    copyJson: () =>
      withSelected((run) => copy("the run as JSON", JSON.stringify(encodeJson(JobRunSchema, run), null, 2))),
    openRollout: () =>
      withSelected((run) => {
        const url = consoleUrlOf(run.name);
        if (url === undefined) say(`No Console page for the name ${run.name}.`, "error");
        else open("the rollout's Console page", url);
      }),
    openBuildLog: () =>
      withSelected((run) => {
        const url = buildLogUrlOf(buildOf(run));
        if (url === undefined)
          say("This run reports no Cloud Build, so it has no build log to open.", "error");
        else open("the build log", url);
      }),
    askTerminate: () => dispatch({ type: "askTerminate" }),
    confirmTerminate() {
      const name = state().confirmName;
      if (name !== undefined) terminate(name);
    },
    cancelTerminate: () => dispatch({ type: "cancelTerminate" }),
    refuseReadonly: () => say("Read-only (--readonly): this key changes runs, so it is off.", "error"),
    quit: () => options.onQuit(),
    submitLine() {
      const s = state();
      if (s.mode === "command") submitCommand(s.draft);
      else dispatch({ type: "endInput", keep: true });
    },
    cancelLine: () => dispatch({ type: "endInput", keep: false }),
    deleteLastCharacter() {
      const s = state();
      // Backspace on an empty command line leaves it, as in vim.
      if (s.draft === "" && s.mode === "command") dispatch({ type: "endInput", keep: false });
      else dispatch({ type: "editDraft", text: s.draft.slice(0, -1) });
    },
    clearLine: () => dispatch({ type: "editDraft", text: "" }),
    typeText: (text) => dispatch({ type: "editDraft", text: state().draft + text }),
  };
}
