// Where the list's runs come from: a refresh re-reads the loaded range, a further page is fetched as
// the cursor nears the end, a new scope (rollout, filter, order) is loaded before it replaces the
// list, every page can be loaded on request, and one run is re-read by name (after a terminate).
// Answers to a query that has changed meanwhile are dropped, by generation.
import type { JobRunService } from "@jobrun/core";
import { type Clock, MAX_PAGE_SIZE } from "@jobrun/core";
import { explainError } from "../errors.js";
import type { PendingWork } from "../session/pending-work.js";
import { listBodyHeight } from "../state/layout.js";
import { serverOrderBy } from "../state/sort.js";
import type { Scope } from "../state/state.js";
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
  /** Loads the first page of another scope; the list changes only once it has come (a refused filter keeps the rows). */
  changeScope(scope: Scope): Promise<void>;
  /** Fetches the next page when the cursor is within a screen of the last loaded row. */
  loadMoreIfNear(): void;
  /** Fetches every page not loaded yet, one after the other (the header counts them). */
  loadAll(): Promise<void>;
  /** Re-reads one run by name and puts the answer in its row. */
  reread(name: string): Promise<void>;
  /** Ignores every answer still under way. */
  stop(): void;
  /** Takes answers again (after stop). */
  start(): void;
}

function queryOf(scope: Scope): ListingQuery {
  return { parent: scope.parent, filter: scope.serverFilter, orderBy: serverOrderBy(scope.sort) };
}

export function createDataSource(options: DataSourceOptions): DataSource {
  const { service, store, clock, work } = options;
  let generation = 0;
  let stopped = false;
  const dispatch = store.dispatch;
  const current = (mine: number) => !stopped && mine === generation;
  const failed = (error: unknown) => explainError(error, "list", options.endpoint).message;

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
          dispatch({ type: "loadFailed", message: failed(error), periodic: !append });
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
    changeScope(scope) {
      const mine = ++generation;
      dispatch({ type: "loadStarted", kind: "refresh" });
      return work.track(
        listFirst(service, queryOf(scope), PAGE_SIZE).then(
          ({ runs, nextPageToken }) => {
            if (!current(mine)) return;
            dispatch({ type: "loaded", runs, nextPageToken, atMs: clock.now(), append: false, scope });
            options.onRefreshSettled();
            source.loadMoreIfNear();
          },
          (error: unknown) => {
            if (!current(mine)) return;
            // Not periodic: the message stays although the next refresh (of the old scope) works.
            dispatch({ type: "loadFailed", message: failed(error), periodic: false });
            options.onRefreshSettled();
          },
        ),
      );
    },
    loadMoreIfNear() {
      const s = store.getState();
      if (s.loading !== "none" || s.nextPageToken === "" || s.view !== "list") return;
      if (s.cursor < s.rows.length - 1 - listBodyHeight(s)) return;
      dispatch({ type: "loadStarted", kind: "more" });
      void settlePage(generation, listNext(service, queryOf(s), s.nextPageToken), true);
    },
    async loadAll() {
      const s = store.getState();
      if (s.nextPageToken === "" || s.loading === "all") return;
      // A refresh or page under way would interleave with these pages: its answer is dropped, and
      // the refresh timer is armed again at the end.
      const mine = ++generation;
      dispatch({ type: "loadStarted", kind: "all" });
      let token = s.nextPageToken;
      const loading = (async () => {
        while (token !== "" && current(mine)) {
          const page = await listNext(service, queryOf(store.getState()), token, MAX_PAGE_SIZE);
          if (!current(mine)) return;
          token = page.nextPageToken;
          const more = token !== "";
          dispatch({ type: "loaded", ...page, atMs: clock.now(), append: true, more });
        }
      })();
      await work.track(
        loading.then(
          () => {
            if (current(mine)) options.onRefreshSettled();
          },
          (error: unknown) => {
            if (!current(mine)) return;
            dispatch({ type: "loadFailed", message: failed(error), periodic: false });
            options.onRefreshSettled();
          },
        ),
      );
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
