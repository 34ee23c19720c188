// The pure state machine of the UI. Side effects (fetching, terminating, copying) live in the
// session; here only what the screen should show next.
import { canTerminate, type JobRun, JobRun_State } from "@jobrun/core";
import type { Action } from "./actions.js";
import { listBodyHeight } from "./layout.js";
import { rowsOf } from "./rows.js";
import type { State } from "./state.js";

export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case "loadStarted":
      return { ...state, loading: action.kind };
    case "loaded":
      return applyLoaded(state, action);
    case "loadFailed":
      return { ...state, loading: "none", message: { text: action.message, tone: "error" } };
    case "runRead":
      return applyRunRead(state, action.run);
    case "move":
      return selectIndex(state, state.cursor + action.by);
    case "moveTo":
      return selectIndex(state, action.where === "first" ? 0 : state.rows.length - 1);
    case "page":
      return selectIndex(state, state.cursor + action.direction * listBodyHeight(state.size));
    case "scrollPage":
      return { ...state, pageScroll: clamp(state.pageScroll + action.by, 0, Math.max(0, action.max)) };
    case "openDetails":
      return selectedRun(state) === undefined ? state : { ...state, view: "details", pageScroll: 0 };
    case "showHelp":
      return { ...state, view: "help", pageScroll: 0 };
    case "back":
      return { ...state, view: "list", pageScroll: 0 };
    case "startInput":
      return { ...state, mode: action.mode, draft: action.mode === "filter" ? state.textFilter : "" };
    case "editDraft":
      return state.mode === "filter"
        ? refreshRows({ ...state, draft: action.text, textFilter: action.text })
        : { ...state, draft: action.text };
    case "endInput":
      if (state.mode === "filter" && !action.keep) {
        return refreshRows({ ...state, mode: "normal", draft: "", textFilter: "" });
      }
      return { ...state, mode: "normal", draft: "" };
    case "setScope":
      return {
        ...state,
        parent: action.parent ?? state.parent,
        serverFilter: action.serverFilter ?? state.serverFilter,
        sort: "sort" in action ? action.sort : state.sort,
        runs: [],
        rows: [],
        nextPageToken: "",
        cursor: 0,
        scrollTop: 0,
        selectedName: undefined,
        view: "list",
        loading: "refresh",
      };
    case "askTerminate": {
      const run = selectedRun(state);
      if (state.readonly || run === undefined) return state;
      if (!canTerminate(run)) {
        return {
          ...state,
          message: {
            text: `Only an IN_PROGRESS run can be terminated; this one is ${stateWord(run.state)}.`,
            tone: "error",
          },
        };
      }
      return { ...state, mode: "confirm", confirmName: run.name };
    }
    case "cancelTerminate":
      return { ...state, mode: "normal", confirmName: undefined };
    case "terminateRequested": {
      const terminating = new Set(state.terminating).add(action.name);
      return refreshRows({ ...state, mode: "normal", confirmName: undefined, terminating });
    }
    case "terminateFailed": {
      const terminating = new Set(state.terminating);
      terminating.delete(action.name);
      return refreshRows({ ...state, terminating, message: { text: action.message, tone: "error" } });
    }
    case "showMessage":
      return { ...state, message: action.message };
    case "resize":
      return keepCursorVisible({ ...state, size: action.size });
    case "tick":
      return { ...state, frame: state.frame + 1 };
  }
}

/** The run the cursor is on. */
export function selectedRun(state: State) {
  return state.rows[state.cursor];
}

function stateWord(state: JobRun_State): string {
  return JobRun_State[state] ?? String(state);
}

function applyLoaded(state: State, action: Extract<Action, { type: "loaded" }>): State {
  const runs = action.append ? [...state.runs, ...action.runs] : action.runs;
  // A pending termination ends once the server reports any state other than IN_PROGRESS.
  const terminating = new Set<string>();
  if (state.terminating.size > 0) {
    for (const run of runs) {
      if (state.terminating.has(run.name) && run.state === JobRun_State.IN_PROGRESS)
        terminating.add(run.name);
    }
  }
  return refreshRows({
    ...state,
    runs,
    terminating,
    nextPageToken: action.nextPageToken,
    loading: "none",
    lastRefreshMs: action.atMs,
    message: state.message?.tone === "error" && !action.append ? undefined : state.message,
  });
}

function applyRunRead(state: State, run: JobRun): State {
  const at = state.runs.findIndex((r) => r.name === run.name);
  if (at === -1) return state;
  const runs = state.runs.with(at, run);
  let terminating = state.terminating;
  if (terminating.has(run.name) && run.state !== JobRun_State.IN_PROGRESS) {
    const rest = new Set(terminating);
    rest.delete(run.name);
    terminating = rest;
  }
  return refreshRows({ ...state, runs, terminating });
}

/** Recomputes the rows and puts the cursor back on the selected run (by name) if it is still shown. */
function refreshRows(state: State): State {
  const rows = rowsOf(state.runs, state.terminating, state.textFilter);
  const byName =
    state.selectedName === undefined ? -1 : rows.findIndex((run) => run.name === state.selectedName);
  return selectIndex({ ...state, rows }, byName >= 0 ? byName : state.cursor);
}

function selectIndex(state: State, index: number): State {
  const cursor = clamp(index, 0, Math.max(0, state.rows.length - 1));
  return keepCursorVisible({
    ...state,
    cursor,
    selectedName: state.rows[cursor]?.name ?? state.selectedName,
  });
}

function keepCursorVisible(state: State): State {
  const height = listBodyHeight(state.size);
  let scrollTop = state.scrollTop;
  if (state.cursor < scrollTop) scrollTop = state.cursor;
  if (state.cursor >= scrollTop + height) scrollTop = state.cursor - height + 1;
  scrollTop = clamp(scrollTop, 0, Math.max(0, state.rows.length - height));
  return scrollTop === state.scrollTop ? state : { ...state, scrollTop };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
