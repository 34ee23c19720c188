// The emulator's storage: runs by name, plus one OrderedIndex in the default ordering (newest first),
// kept up to date on every write. A listing in the default order reads the index: a binary search to
// the cursor, then a scan of the page. A listing in any other order selects its page from the runs
// under the parent's prefix with a bounded heap: O(runs under the prefix) filter checks and
// O(matches x log pageSize) comparisons per page, and no index is built per ordering. (Indexes built on
// demand over the whole store let a caller scoped to a 10-run rollout make every request sort 100,000
// runs by rotating orderBy: issue 10.2.)

import { concretePrefixOf, isJobRunInParent, type JobRun, type RolloutNameParts } from "@jobrun/core";
import { type OrderSpec, parseOrderBy, type SortKey } from "../order-by.js";
import { BoundedSelection } from "./bounded-selection.js";
import { type IndexEntry, OrderedIndex } from "./ordered-index.js";
import { type StoredRun, storedRun } from "./stored-run.js";

/** A bulk insert of more than this share of the store rebuilds the index instead of inserting one by one. */
const REBUILD_RATIO = 0.05;

export interface PageQuery {
  readonly parent: RolloutNameParts;
  readonly order: OrderSpec;
  readonly predicate: (run: JobRun) => boolean;
  /** The sort key of the last run of the previous page. */
  readonly after: SortKey | undefined;
  readonly pageSize: number;
}

export interface Page {
  readonly runs: readonly StoredRun[];
  /** The key of the last run returned, when more runs match after it. */
  readonly nextAfter: SortKey | undefined;
}

export class JobRunStore {
  private readonly byName = new Map<string, StoredRun>();
  private defaultIndex: OrderedIndex;

  constructor() {
    this.defaultIndex = new OrderedIndex(parseOrderBy(""), []);
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): StoredRun | undefined {
    return this.byName.get(name);
  }

  /** Every run, in name order. */
  all(): StoredRun[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Inserts or replaces one run; returns the stored form and the one it replaced. */
  put(message: JobRun): { stored: StoredRun; previous: StoredRun | undefined } {
    const stored = storedRun(message);
    const previous = this.byName.get(stored.name);
    if (previous !== undefined) this.defaultIndex.remove(previous);
    this.defaultIndex.add(stored);
    this.byName.set(stored.name, stored);
    return { stored, previous };
  }

  /** Inserts or replaces many runs; a large batch rebuilds the index in one sort. */
  putMany(messages: readonly JobRun[]): StoredRun[] {
    if (messages.length <= Math.max(64, this.byName.size * REBUILD_RATIO)) {
      return messages.map((m) => this.put(m).stored);
    }
    const stored = messages.map(storedRun);
    for (const run of stored) this.byName.set(run.name, run);
    this.defaultIndex = new OrderedIndex(this.defaultIndex.spec, this.byName.values());
    return stored;
  }

  /** One page of a listing; see the top of this file for the cost. */
  page(query: PageQuery): Page {
    const { prefix, residual } = partitionOf(query.parent);
    const index = this.defaultIndex;
    const entries = index.entries(prefix);
    if (query.order.canonical !== index.spec.canonical) return selectPage(entries, residual, query);
    const runs: StoredRun[] = [];
    let last: IndexEntry | undefined;
    for (let i = index.startAfter(entries, query.after); i < entries.length; i++) {
      const entry = entries[i]!;
      if (residual !== undefined && !isJobRunInParent(entry.run.parts, residual)) continue;
      if (!query.predicate(entry.run.message)) continue;
      if (runs.length === query.pageSize) return { runs, nextAfter: last!.key };
      runs.push(entry.run);
      last = entry;
    }
    return { runs, nextAfter: undefined };
  }
}

/**
 * A page in an order other than the index's: the pageSize + 1 smallest matches after the cursor, kept
 * in a bounded heap (the extra one only says whether another page follows).
 */
function selectPage(
  entries: readonly IndexEntry[],
  residual: RolloutNameParts | undefined,
  query: PageQuery,
): Page {
  const { order, after, pageSize } = query;
  const selection = new BoundedSelection<IndexEntry>(pageSize + 1, (a, b) => order.compare(a.key, b.key));
  for (const { run } of entries) {
    if (residual !== undefined && !isJobRunInParent(run.parts, residual)) continue;
    if (!query.predicate(run.message)) continue;
    const key = order.keyOf(run.message);
    if (after !== undefined && order.compare(key, after) <= 0) continue;
    selection.offer({ run, key });
  }
  const selected = selection.sorted();
  if (selected.length <= pageSize) return { runs: selected.map((e) => e.run), nextAfter: undefined };
  const page = selected.slice(0, pageSize);
  return { runs: page.map((e) => e.run), nextAfter: page.at(-1)!.key };
}

/**
 * The partition a parent reads: its longest prefix without a wildcard. Concrete segments after a
 * wildcard (`locations/-/deliveryPipelines/web/…`) are checked per run (`residual`).
 */
function partitionOf(parent: RolloutNameParts): { prefix: string; residual: RolloutNameParts | undefined } {
  const { prefix, complete } = concretePrefixOf(parent);
  return { prefix, residual: complete ? undefined : parent };
}
