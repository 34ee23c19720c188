// Where the list's runs come from: a refresh re-reads the loaded range, a further page is fetched as
// the cursor nears the end, and one run is re-read by name (after a terminate). Answers to a query
// that has changed meanwhile (a new scope, filter or order) are dropped, by generation.
import type { JobRunService } from "@jobrun/core";
import type { Clock } from "../clock.js";
import { explainError } from "../errors.js";
import type { PendingWork } from "../session/pending-work.js";
import { listBodyHeight } from "../state/layout.js";
import { orderByOf } from "../state/sort.js";
import type { State } from "../state/state.js";
import type { Store } from "../state/store.js";
import { type ListingQuery, type LoadedPage, listFirst, listNext, PAGE_SIZE } from "./listing.js";

export interface DataSourceOptions {
  readonly service: JobRunService;
  readonly store: Store;
  readonly clock: Clock;
  readonly work: PendingWork;
  /** The remote endpoint, for error messages; undefined for the embedded emulator. */
  readonly endpoint: string | undefined;
  /** Called when a refresh has settled (loaded or failed), to schedule the next one. */
  readonly onRefreshSettled: () => void;
}

export interface DataSource {
  /** Re-reads from the first page up to as many runs as are loaded. */
  refresh(): Promise<void>;
  /** Fetches the next page when the cursor is within a screen of the last loaded row. */
  loadMoreIfNear(): void;
  /** Re-reads one run by name and puts the answer in its row. */
  reread(name: string): Promise<void>;
  /** Ignores every answer still under way. */
  stop(): void;
  /** Takes answers again (after stop). */
  start(): void;
}

function queryOf(s: State): ListingQuery {
  return { parent: s.parent, filter: s.serverFilter, orderBy: orderByOf(s.sort) };
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const { service, store, clock, work } = options;
  let generation = 0;
  let stopped = false;
  const dispatch = store.dispatch;
  const current = (mine: number) => !stopped && mine === generation;

  function settlePage(mine: number, page: Promise<LoadedPage>, append: boolean): Promise<void> {
    return work.track(
      page.then(
        ({ runs, nextPageToken }) => {
          if (!current(mine)) return;
          dispatch({ type: "loaded", runs, nextPageToken, atMs: clock.now(), append });
          if (!append) options.onRefreshSettled();
          source.loadMoreIfNear();
        },
        (error: unknown) => {
          if (!current(mine)) return;
          dispatch({ type: "loadFailed", message: explainError(error, "list", options.endpoint).message });
          if (!append) options.onRefreshSettled();
        },
      ),
    );
  }

  const source: DataSource = {
    refresh() {
      const mine = ++generation;
      const s = store.getState();
      dispatch({ type: "loadStarted", kind: "refresh" });
      return settlePage(mine, listFirst(service, queryOf(s), Math.max(PAGE_SIZE, s.runs.length)), false);
    },
    loadMoreIfNear() {
      const s = store.getState();
      if (s.loading !== "none" || s.nextPageToken === "" || s.view !== "list") return;
      if (s.cursor < s.rows.length - 1 - listBodyHeight(s.size)) return;
      dispatch({ type: "loadStarted", kind: "more" });
      void settlePage(generation, listNext(service, queryOf(s), s.nextPageToken), true);
    },
    reread(name) {
      const mine = generation;
      return work.track(
        service.getJobRun({ name }).then(
          (run) => {
            if (current(mine)) dispatch({ type: "runRead", run });
          },
          (error: unknown) => {
            if (!current(mine)) return;
            dispatch({
              type: "showMessage",
              message: { text: explainError(error, "get", options.endpoint).message, tone: "error" },
            });
          },
        ),
      );
    },
    stop() {
      stopped = true;
      generation++;
    },
    start() {
      stopped = false;
    },
  };
  return source;
}
