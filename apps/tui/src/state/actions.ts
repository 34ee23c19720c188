import type { JobRun } from "@jobrun/core";
import type { Scope, StatusMessage, TerminalSize, UpdateMode } from "./state.js";

/** Everything that can change the UI state. */
export type Action =
  | { readonly type: "loadStarted"; readonly kind: "refresh" | "more" | "all" }
  | {
      readonly type: "loaded";
      readonly runs: readonly JobRun[];
      readonly nextPageToken: string;
      readonly atMs: number;
      /** A next page (appended) rather than a refresh (replacing). */
      readonly append: boolean;
      /** A new scope whose first page this is: the list starts over in it. */
      readonly scope?: Scope;
      /** More pages follow at once (loading every page): the load is not over. */
      readonly more?: boolean;
    }
  /** A load failed; `periodic` for a refresh (its message ends when a load works again). */
  | { readonly type: "loadFailed"; readonly message: string; readonly periodic: boolean }
  /** One run as the server reports it now (a get after a terminate). */
  | { readonly type: "runRead"; readonly run: JobRun }
  /** A run changed, as the live watch says: its row is updated, and the list counts as fresh. */
  | { readonly type: "runWatched"; readonly run: JobRun; readonly atMs: number }
  /** How the list keeps up: the live watch, or refreshing on a timer. */
  | { readonly type: "updates"; readonly mode: UpdateMode }
  | { readonly type: "move"; readonly by: number }
  | { readonly type: "moveTo"; readonly where: "first" | "last" }
  | { readonly type: "page"; readonly direction: 1 | -1 }
  /** Scroll the details or help page; `max` is its last useful first line. */
  | { readonly type: "scrollPage"; readonly by: number; readonly max: number }
  | { readonly type: "openDetails" }
  | { readonly type: "showHelp" }
  | { readonly type: "back" }
  | { readonly type: "startInput"; readonly mode: "filter" | "command" }
  | { readonly type: "editDraft"; readonly text: string }
  /** Leave the filter or command line; a cancelled filter is cleared, a submitted one kept. */
  | { readonly type: "endInput"; readonly keep: boolean }
  | { readonly type: "askTerminate" }
  | { readonly type: "cancelTerminate" }
  | { readonly type: "terminateRequested"; readonly name: string }
  | { readonly type: "terminateAccepted"; readonly name: string }
  /** The request went out but no answer came: whether it was applied is unknown. */
  | { readonly type: "terminateUnknown"; readonly name: string; readonly message: string }
  | { readonly type: "terminateFailed"; readonly name: string; readonly message: string }
  | { readonly type: "showMessage"; readonly message: StatusMessage | undefined }
  /** Ends `message` if it is still the one shown (its time is up). */
  | { readonly type: "expireMessage"; readonly message: StatusMessage }
  | { readonly type: "resize"; readonly size: TerminalSize }
  | { readonly type: "tick" };
