// The whole UI state: plain data, changed only by the reducer, so every behaviour can be tested
// without Ink or a backend.
import type { JobRun } from "@jobrun/core";
import type { SortOrder } from "./sort.js";

/** The screen shown. */
export type View = "list" | "details" | "help";

/** What typed keys mean: commands (normal), text for the live filter or the `:` line, or the terminate dialog. */
export type Mode = "normal" | "filter" | "command" | "confirm";

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export interface StatusMessage {
  readonly text: string;
  readonly tone: "info" | "error";
  /** The run the message is about: it ends once that run has finished (the session ends it after a few seconds anyway). */
  readonly about?: string;
  /** A failed periodic load: it ends when a load succeeds again. */
  readonly fromLoad?: boolean;
  /** The message offers to load every page: `G` while it shows takes the offer. */
  readonly offersLoadAll?: boolean;
}

/**
 * A terminate we asked for and the server does not yet report: `sending` while the request is
 * under way, `accepted` once the server answered (its list may still say IN_PROGRESS for a moment),
 * `unknown` when the request went out but no answer came (the run is then read again).
 */
export type PendingTermination = "sending" | "accepted" | "unknown";

/** What is listed: the parent and the server-side filter and order. */
export interface Scope {
  readonly parent: string;
  readonly serverFilter: string;
  readonly sort: SortOrder | undefined;
}

export interface State {
  readonly view: View;
  readonly mode: Mode;
  /** The List parent (a rollout name, `-` wildcards allowed). */
  readonly parent: string;
  /** The parent the flags gave: `:rollout -` returns to it. */
  readonly homeParent: string;
  /** AIP-160 filter sent to the server ("" for none). */
  readonly serverFilter: string;
  /** Server-side order; undefined for the server's default. */
  readonly sort: SortOrder | undefined;
  /** Runs loaded so far, in server order. */
  readonly runs: readonly JobRun[];
  /** Token of the next page; "" when everything is loaded. */
  readonly nextPageToken: string;
  /** What is being fetched, if anything: `all` is every page, after `G` twice. */
  readonly loading: "none" | "refresh" | "more" | "all";
  /** When the last successful load finished (clock ms); undefined before the first. */
  readonly lastRefreshMs: number | undefined;
  /** The rows shown: `runs` with pending terminations applied, narrowed by the text filter. */
  readonly rows: readonly JobRun[];
  /** The live text filter (`/`). */
  readonly textFilter: string;
  /** Text being typed in the filter or command line. */
  readonly draft: string;
  /** Index of the selected row in `rows`. */
  readonly cursor: number;
  /** The selected run's name, which keeps the selection across refreshes. */
  readonly selectedName: string | undefined;
  /** First row shown in the list body. */
  readonly scrollTop: number;
  /** First line shown in the details or help view. */
  readonly pageScroll: number;
  /** Name of the run the terminate dialog asks about. */
  readonly confirmName: string | undefined;
  /** Runs we asked to terminate that the server still reports IN_PROGRESS: shown as TERMINATING. */
  readonly terminating: ReadonlyMap<string, PendingTermination>;
  readonly message: StatusMessage | undefined;
  readonly size: TerminalSize;
  /** `--readonly`: terminate is not offered at all. */
  readonly readonly: boolean;
  /** Spinner frame counter. */
  readonly frame: number;
  /** How the list keeps up with the server: the live watch, or a refresh every `refreshSeconds`. */
  readonly updates: UpdateMode;
  /** Seconds between refreshes while runs move (0: only on `r`); shown while the watch is not live. */
  readonly refreshSeconds: number;
}

/** "live": changes arrive from a watch as they happen; "polling": the list is re-read on a timer. */
export type UpdateMode = "live" | "polling";

export interface InitialStateOptions {
  readonly parent: string;
  readonly serverFilter?: string;
  readonly sort?: SortOrder;
  readonly readonly?: boolean;
  readonly size?: TerminalSize;
  readonly refreshSeconds?: number;
}

export function initialState(options: InitialStateOptions): State {
  return {
    view: "list",
    mode: "normal",
    parent: options.parent,
    homeParent: options.parent,
    serverFilter: options.serverFilter ?? "",
    sort: options.sort,
    runs: [],
    nextPageToken: "",
    loading: "refresh",
    lastRefreshMs: undefined,
    rows: [],
    textFilter: "",
    draft: "",
    cursor: 0,
    selectedName: undefined,
    scrollTop: 0,
    pageScroll: 0,
    confirmName: undefined,
    terminating: new Map(),
    message: undefined,
    size: options.size ?? { columns: 100, rows: 30 },
    readonly: options.readonly ?? false,
    frame: 0,
    updates: "polling",
    refreshSeconds: options.refreshSeconds ?? 3,
  };
}
