// The pure state machine of the UI. Side effects (fetching, terminating, copying) live in the
// session; here only what the screen should show next.
import { canTerminate, isTerminal, type JobRun, JobRun_State } from "@jobrun/core";
import { stateWord } from "../format/run-fields.js";
import type { Action } from "./actions.js";
import { footerLines, listBodyHeight } from "./layout.js";
import { rowsOf } from "./rows.js";
import type { PendingTermination, State } from "./state.js";

export function reduce(state: State, action: Action): State {
  const next = step(state, action);
  // A message or a typed line takes a second footer line from the list: keep the cursor in view.
  return footerLines(next) === footerLines(state) ? next : keepCursorVisible(next);
}

function step(state: State, action: Action): State {
  switch (action.type) {
    case "loadStarted":
      return { ...state, loading: action.kind };
    case "loaded":
      return endMessageIfOver(applyLoaded(state, action));
    case "loadFailed":
      return {
        ...state,
        loading: "none",
        message: { text: action.message, tone: "error", ...(action.periodic ? { fromLoad: true } : {}) },
      };
    case "runRead":
      return endMessageIfOver(applyRunRead(state, action.run));
    case "runWatched":
      return endMessageIfOver({ ...applyRunRead(state, action.run), lastRefreshMs: action.atMs });
    case "updates":
      return state.updates === action.mode ? state : { ...state, updates: action.mode };
    case "move":
      return selectIndex(state, state.cursor + action.by);
    case "moveTo":
      return selectIndex(state, action.where === "first" ? 0 : state.rows.length - 1);
    case "page":
      return selectIndex(state, state.cursor + action.direction * listBodyHeight(state));
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
    case "askTerminate": {
      const run = selectedRun(state);
      if (state.readonly || run === undefined) return state;
      if (state.terminating.has(run.name)) {
        return { ...state, message: { text: "A terminate of this run is already under way.", tone: "info" } };
      }
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
    case "terminateRequested":
      return refreshRows({
        ...state,
        mode: "normal",
        confirmName: undefined,
        terminating: withPending(state.terminating, action.name, "sending"),
      });
    case "terminateAccepted":
      if (!state.terminating.has(action.name)) return state;
      return refreshRows({ ...state, terminating: withPending(state.terminating, action.name, "accepted") });
    case "terminateUnknown":
      return refreshRows({
        ...state,
        terminating: withPending(state.terminating, action.name, "unknown"),
        message: { text: action.message, tone: "error", about: action.name },
      });
    case "terminateFailed":
      return refreshRows({
        ...state,
        terminating: withPending(state.terminating, action.name, undefined),
        message: { text: action.message, tone: "error" },
      });
    case "showMessage":
      return { ...state, message: action.message };
    case "expireMessage":
      return state.message === action.message ? { ...state, message: undefined } : state;
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

function withPending(
  pending: ReadonlyMap<string, PendingTermination>,
  name: string,
  value: PendingTermination | undefined,
): ReadonlyMap<string, PendingTermination> {
  const next = new Map(pending);
  if (value === undefined) next.delete(name);
  else next.set(name, value);
  return next;
}

/**
 * Which pending terminations the server's view of `runs` leaves pending: any state but IN_PROGRESS
 * ends one; IN_PROGRESS ends one whose outcome was unknown (the server says: not applied).
 */
function stillPending(
  pending: ReadonlyMap<string, PendingTermination>,
  runs: readonly JobRun[],
): ReadonlyMap<string, PendingTermination> {
  if (pending.size === 0) return pending;
  const next = new Map(pending);
  for (const run of runs) {
    const status = pending.get(run.name);
    if (status === undefined) continue;
    if (run.state !== JobRun_State.IN_PROGRESS || status === "unknown") next.delete(run.name);
  }
  return next.size === pending.size ? pending : next;
}

function applyLoaded(state: State, action: Extract<Action, { type: "loaded" }>): State {
  const runs = action.append ? [...state.runs, ...action.runs] : action.runs;
  const loading = action.more === true ? state.loading : "none";
  const message = state.message?.fromLoad === true ? undefined : state.message;
  const base = {
    ...state,
    runs,
    nextPageToken: action.nextPageToken,
    loading,
    lastRefreshMs: action.atMs,
    message,
  };
  if (action.scope !== undefined) {
    // A new scope: the list starts over at its top.
    return refreshRows({
      ...base,
      ...action.scope,
      terminating: stillPending(state.terminating, runs),
      cursor: 0,
      scrollTop: 0,
      selectedName: undefined,
      view: "list",
    });
  }
  return refreshRows({ ...base, terminating: stillPending(state.terminating, runs) });
}

function applyRunRead(state: State, run: JobRun): State {
  const at = state.runs.findIndex((r) => r.name === run.name);
  if (at === -1) return state;
  const wasUnknown = state.terminating.get(run.name) === "unknown";
  const next = refreshRows({
    ...state,
    runs: state.runs.with(at, run),
    terminating: stillPending(state.terminating, [run]),
  });
  if (wasUnknown && run.state === JobRun_State.IN_PROGRESS) {
    return {
      ...next,
      message: {
        text: `The terminate did not take effect: ${shortId(run.name)} is still IN_PROGRESS (t tries again).`,
        tone: "error",
      },
    };
  }
  if (wasUnknown) {
    return {
      ...next,
      message: {
        text: `The terminate took effect: ${shortId(run.name)} is ${stateWord(run.state)}.`,
        tone: "info",
      },
    };
  }
  return next;
}

function shortId(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** Ends a message about a run once that run has finished. */
function endMessageIfOver(state: State): State {
  const about = state.message?.about;
  if (about === undefined || state.terminating.has(about)) return state;
  const run = state.runs.find((r) => r.name === about);
  return run !== undefined && isTerminal(run.state) ? { ...state, message: undefined } : state;
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
  const height = listBodyHeight(state);
  let scrollTop = state.scrollTop;
  if (state.cursor < scrollTop) scrollTop = state.cursor;
  if (state.cursor >= scrollTop + height) scrollTop = state.cursor - height + 1;
  scrollTop = clamp(scrollTop, 0, Math.max(0, state.rows.length - height));
  return scrollTop === state.scrollTop ? state : { ...state, scrollTop };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
