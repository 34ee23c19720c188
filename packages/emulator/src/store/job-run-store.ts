// The emulator's storage: runs by name, plus one OrderedIndex per ordering in use. The default
// ordering's index always exists; others are built on first use (O(n log n) once), kept up to date
// afterwards, and dropped least-recently-used beyond a small number.

import { concretePrefixOf, isJobRunInParent, type JobRun, type RolloutNameParts } from "@jobrun/core";
import { type OrderSpec, parseOrderBy, type SortKey } from "../order-by.js";
import { type IndexEntry, OrderedIndex } from "./ordered-index.js";
import { type StoredRun, storedRun } from "./stored-run.js";

/** How many non-default orderings keep an index. */
const MAX_EXTRA_INDEXES = 8;

/** A bulk insert of more than this share of the store rebuilds the indexes instead of inserting one by one. */
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
  // Map order is recency order: a used index is re-inserted at the end.
  private readonly extraIndexes = new Map<string, OrderedIndex>();

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
    for (const index of this.indexes()) {
      if (previous !== undefined) index.remove(previous);
      index.add(stored);
    }
    this.byName.set(stored.name, stored);
    return { stored, previous };
  }

  /** Inserts or replaces many runs; large batches rebuild the indexes in one sort. */
  putMany(messages: readonly JobRun[]): StoredRun[] {
    if (messages.length <= Math.max(64, this.byName.size * REBUILD_RATIO)) {
      return messages.map((m) => this.put(m).stored);
    }
    const stored = messages.map(storedRun);
    for (const run of stored) this.byName.set(run.name, run);
    this.defaultIndex = new OrderedIndex(this.defaultIndex.spec, this.byName.values());
    this.extraIndexes.clear();
    return stored;
  }

  /** One page of a listing; see OrderedIndex for the cost. */
  page(query: PageQuery): Page {
    const index = this.indexFor(query.order);
    const { prefix, residual } = partitionOf(query.parent);
    const entries = index.entries(prefix);
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

  private indexes(): OrderedIndex[] {
    return [this.defaultIndex, ...this.extraIndexes.values()];
  }

  private indexFor(order: OrderSpec): OrderedIndex {
    if (order.canonical === this.defaultIndex.spec.canonical) return this.defaultIndex;
    let index = this.extraIndexes.get(order.canonical);
    if (index === undefined) {
      index = new OrderedIndex(order, this.byName.values());
      if (this.extraIndexes.size >= MAX_EXTRA_INDEXES) {
        const oldest = this.extraIndexes.keys().next().value;
        if (oldest !== undefined) this.extraIndexes.delete(oldest);
      }
    } else {
      this.extraIndexes.delete(order.canonical);
    }
    this.extraIndexes.set(order.canonical, index);
    return index;
  }
}

/**
 * The partition a parent reads: its longest prefix without a wildcard. Concrete segments after a
 * wildcard (`locations/-/deliveryPipelines/web/…`) are checked per run (`residual`).
 */
function partitionOf(parent: RolloutNameParts): { prefix: string; residual: RolloutNameParts | undefined } {
  const { prefix, complete } = concretePrefixOf(parent);
  return { prefix, residual: complete ? undefined : parent };
}
