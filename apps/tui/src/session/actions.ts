// What the keys do: every handler the keymap's bindings call. Each action turns into reducer
// actions on the store and, where needed, calls through the data source (list, get) or the service
// (terminate), the clipboard, or the timers.
import { encodeJson, JobRunSchema, type JobRunService } from "@jobrun/core";
import { parseCommand } from "../commands.js";
import { explainError } from "../errors.js";
import { shortJobRunId } from "../format/run-fields.js";
import type { DataSource } from "../source/data-source.js";
import type { Action } from "../state/actions.js";
import { pageBodyHeight } from "../state/layout.js";
import { selectedRun } from "../state/reducer.js";
import { type SortField, toggledSort } from "../state/sort.js";
import type { State } from "../state/state.js";
import type { Store } from "../state/store.js";
import type { Clipboard } from "../terminal/clipboard.js";
import { consoleUrlOf } from "../terminal/console-url.js";
import { detailLines } from "../views/detail-lines.js";
import { helpLines } from "../views/help-lines.js";
import type { PendingWork } from "./pending-work.js";
import type { Timers } from "./timers.js";

/** How soon after an accepted terminate the run is re-read, to show the server's new state. */
export const AFTER_TERMINATE_REREAD_MS = 500;

/** The handlers the keymap's bindings call. */
export interface UserActions {
  /** Moves the list's cursor by rows; scrolls the details or help page by lines. */
  move(by: number): void;
  moveTo(where: "first" | "last"): void;
  movePage(direction: 1 | -1): void;
  openDetails(): void;
  showHelp(): void;
  back(): void;
  /** Opens the filter (`/`) or command (`:`) line. */
  startLine(mode: "filter" | "command"): void;
  /** Sorts on the server by `field`; pressing again reverses. */
  sortBy(field: SortField): void;
  refresh(): void;
  copyName(): void;
  copyConsoleUrl(): void;
  copyJson(): void;
  /** Opens the terminate dialog for the selected run (or says why not). */
  askTerminate(): void;
  confirmTerminate(): void;
  cancelTerminate(): void;
  quit(): void;
  /** Text lines: Enter, Esc, Backspace, ctrl-u and typed text. */
  submitLine(): void;
  cancelLine(): void;
  deleteLastCharacter(): void;
  clearLine(): void;
  typeText(text: string): void;
}

export interface UserActionsOptions {
  readonly store: Store;
  readonly service: JobRunService;
  readonly source: DataSource;
  readonly timers: Timers;
  readonly work: PendingWork;
  readonly clipboard: Clipboard;
  readonly now: () => number;
  /** Whether the session still runs (answers arriving after stop are ignored). */
  readonly running: () => boolean;
  /** The remote endpoint, for error messages; undefined for the embedded emulator. */
  readonly endpoint: string | undefined;
  readonly onQuit: () => void;
}

export function createUserActions(options: UserActionsOptions): UserActions {
  const { store, source, timers, work } = options;
  const state = () => store.getState();
  const dispatch = store.dispatch;

  function onList(action: Action): void {
    dispatch(action);
    source.loadMoreIfNear();
  }

  function pageLength(s: State): number {
    if (s.view === "help") return helpLines({ readonly: s.readonly }).length;
    const run = selectedRun(s);
    return run === undefined ? 0 : detailLines(run, options.now()).length;
  }

  function scroll(by: number | "top" | "bottom"): void {
    const s = state();
    const max = pageLength(s) - pageBodyHeight(s.size);
    const delta = by === "top" ? -s.pageScroll : by === "bottom" ? max - s.pageScroll : by;
    dispatch({ type: "scrollPage", by: delta, max });
  }

  function changeScope(change: Extract<Action, { type: "setScope" }>): void {
    dispatch(change);
    void source.refresh();
  }

  function copy(what: string, text: string): void {
    options.clipboard(text);
    dispatch({ type: "showMessage", message: { text: `Copied ${what} to the clipboard.`, tone: "info" } });
  }

  function copySelected(what: (run: NonNullable<ReturnType<typeof selectedRun>>) => [string, string]): void {
    const run = selectedRun(state());
    if (run !== undefined) copy(...what(run));
  }

  function terminate(name: string): void {
    dispatch({ type: "terminateRequested", name });
    void work.track(
      options.service.terminateJobRun({ name }).then(
        () => {
          if (!options.running()) return;
          dispatch({
            type: "showMessage",
            message: { text: `Terminating ${shortJobRunId(name)}…`, tone: "info" },
          });
          // One run changed: read that one, not every loaded page again.
          timers.set(`reread:${name}`, () => void source.reread(name), AFTER_TERMINATE_REREAD_MS);
        },
        (error: unknown) => {
          if (!options.running()) return;
          // The full name is long and already on screen; the id keeps the reason within the footer.
          const { message } = explainError(error, "terminate", options.endpoint);
          dispatch({ type: "terminateFailed", name, message: message.replaceAll(name, shortJobRunId(name)) });
        },
      ),
    );
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
        changeScope({ type: "setScope", serverFilter: command.expression });
        return;
      case "sort":
        changeScope({ type: "setScope", sort: command.order });
        return;
      case "rollout":
        changeScope({ type: "setScope", parent: command.parent });
        return;
    }
  }

  return {
    move: (by) => (state().view === "list" ? onList({ type: "move", by }) : scroll(by)),
    moveTo: (where) =>
      state().view === "list"
        ? onList({ type: "moveTo", where })
        : scroll(where === "first" ? "top" : "bottom"),
    movePage: (direction) =>
      state().view === "list"
        ? onList({ type: "page", direction })
        : scroll(direction * pageBodyHeight(state().size)),
    openDetails: () => dispatch({ type: "openDetails" }),
    showHelp: () => dispatch({ type: "showHelp" }),
    back: () => onList({ type: "back" }),
    startLine: (mode) => dispatch({ type: "startInput", mode }),
    sortBy: (field) => changeScope({ type: "setScope", sort: toggledSort(state().sort, field) }),
    refresh: () => void source.refresh(),
    copyName: () => copySelected((run) => ["the name", run.name]),
    copyConsoleUrl: () =>
      copySelected((run) => {
        const url = consoleUrlOf(run.name);
        return [`the Console URL (${url})`, url];
      }),
    copyJson: () =>
      copySelected((run) => ["the run as JSON", JSON.stringify(encodeJson(JobRunSchema, run), null, 2)]),
    askTerminate: () => dispatch({ type: "askTerminate" }),
    confirmTerminate() {
      const name = state().confirmName;
      if (name !== undefined) terminate(name);
    },
    cancelTerminate: () => dispatch({ type: "cancelTerminate" }),
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
