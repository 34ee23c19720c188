// One ordering's index: for every parent prefix (project, location, pipeline, release, rollout), the
// runs under it sorted by the ordering's key. A page is a binary search to the cursor plus a scan of
// the page: O(log n + page) when the filter matches densely.

import type { OrderSpec, SortKey } from "../order-by.js";
import { lowerBound, upperBound } from "./sorted-array.js";
import type { StoredRun } from "./stored-run.js";

export interface IndexEntry {
  readonly run: StoredRun;
  readonly key: SortKey;
}

export class OrderedIndex {
  private readonly partitions = new Map<string, IndexEntry[]>();
  private readonly compareEntries: (a: IndexEntry, b: SortKey) => number;

  constructor(
    readonly spec: OrderSpec,
    runs: Iterable<StoredRun>,
  ) {
    this.compareEntries = (entry, key) => spec.compare(entry.key, key);
    const compareSort = (a: IndexEntry, b: IndexEntry) => spec.compare(a.key, b.key);
    for (const run of runs) {
      const entry = { run, key: spec.keyOf(run.message) };
      for (const prefix of run.prefixes) this.partitionOf(prefix).push(entry);
    }
    for (const entries of this.partitions.values()) entries.sort(compareSort);
  }

  /** The entries under a prefix, sorted; empty when none. */
  entries(prefix: string): readonly IndexEntry[] {
    return this.partitions.get(prefix) ?? [];
  }

  /** Where a scan after `cursor` starts (the first entry strictly after it). */
  startAfter(entries: readonly IndexEntry[], cursor: SortKey | undefined): number {
    return cursor === undefined ? 0 : upperBound(entries, cursor, this.compareEntries);
  }

  add(run: StoredRun): void {
    const entry = { run, key: this.spec.keyOf(run.message) };
    for (const prefix of run.prefixes) {
      const entries = this.partitionOf(prefix);
      entries.splice(lowerBound(entries, entry.key, this.compareEntries), 0, entry);
    }
  }

  remove(run: StoredRun): void {
    const key = this.spec.keyOf(run.message);
    for (const prefix of run.prefixes) {
      const entries = this.partitions.get(prefix);
      if (entries === undefined) continue;
      const at = lowerBound(entries, key, this.compareEntries);
      if (entries[at]?.run.name === run.name) entries.splice(at, 1);
      if (entries.length === 0) this.partitions.delete(prefix);
    }
  }

  private partitionOf(prefix: string): IndexEntry[] {
    let entries = this.partitions.get(prefix);
    if (entries === undefined) {
      entries = [];
      this.partitions.set(prefix, entries);
    }
    return entries;
  }
}
