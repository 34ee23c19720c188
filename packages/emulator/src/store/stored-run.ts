// A stored JobRun: the frozen message and what the indexes need from its name, parsed once.

import { type JobRun, type JobRunNameParts, parentPrefixes, parseJobRunName } from "@jobrun/core";

export interface StoredRun {
  /** Deep-frozen: handed to callers as is, so nobody can change the store behind its back. */
  readonly message: JobRun;
  readonly name: string;
  readonly parts: JobRunNameParts;
  /**
   * The parent prefixes the run lies under, shortest first: `projects/p`, `projects/p/locations/l`, …,
   * up to the full rollout name. A listing reads the partition of its longest concrete prefix.
   */
  readonly prefixes: readonly string[];
}

export function storedRun(message: JobRun): StoredRun {
  const parts = parseJobRunName(message.name);
  return { message: deepFreeze(message), name: message.name, parts, prefixes: parentPrefixes(parts) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
