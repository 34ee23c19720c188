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
}

export interface State {
  readonly view: View;
  readonly mode: Mode;
  /** The List parent (a rollout name, `-` wildcards allowed). */
  readonly parent: string;
  /** AIP-160 filter sent to the server ("" for none). */
  readonly serverFilter: string;
  /** Server-side order; undefined for the server's default. */
  readonly sort: SortOrder | undefined;
  /** Runs loaded so far, in server order. */
  readonly runs: readonly JobRun[];
  /** Token of the next page; "" when everything is loaded. */
  readonly nextPageToken: string;
  /** What is being fetched, if anything. */
  readonly loading: "none" | "refresh" | "more";
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
  /** Runs we asked to terminate and the server still reports IN_PROGRESS: shown as TERMINATING. */
  readonly terminating: ReadonlySet<string>;
  readonly message: StatusMessage | undefined;
  readonly size: TerminalSize;
  /** `--readonly`: terminate is not offered at all. */
  readonly readonly: boolean;
  /** Spinner frame counter. */
  readonly frame: number;
}

export interface InitialStateOptions {
  readonly parent: string;
  readonly serverFilter?: string;
  readonly sort?: SortOrder;
  readonly readonly?: boolean;
  readonly size?: TerminalSize;
}

export function initialState(options: InitialStateOptions): State {
  return {
    view: "list",
    mode: "normal",
    parent: options.parent,
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
    terminating: new Set(),
    message: undefined,
    size: options.size ?? { columns: 100, rows: 30 },
    readonly: options.readonly ?? false,
    frame: 0,
  };
}
