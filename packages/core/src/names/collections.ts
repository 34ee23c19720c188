// What the collections of a JobRun name mean beyond parsing one: the chain of parents a run lies
// under, the name prefixes that chain spells, and how a List parent's `-` wildcards select from it.
// The emulator's store partitions runs by these prefixes, the proxy's scopes are such prefixes, the
// OpenAPI document names its path parameters after the collections, the TUI shows the ids.

import type { JobRunNameParts, RolloutNameParts } from "./job-run-name.js";
import { jobRunPattern, rolloutPattern } from "./job-run-name.js";
import { type ParseNameOptions, parseResourceName, type ResourcePattern } from "./resource-pattern.js";
import { WILDCARD } from "./segment.js";

/** One `collection/{variable}` pair of a JobRun name. */
export interface NameCollection {
  /** The collection word in the name: "deliveryPipelines". */
  readonly collection: string;
  /** The variable it holds: "deliveryPipeline". */
  readonly variable: keyof JobRunNameParts;
}

/** The collections of a JobRun name, outermost first: projects, locations, deliveryPipelines, … jobRuns. */
export const JOB_RUN_COLLECTIONS: readonly NameCollection[] = jobRunPattern.parts.map(
  ({ collection, variable }) => ({ collection, variable }),
);

const variableByCollection = new Map(JOB_RUN_COLLECTIONS.map((c) => [c.collection, c.variable]));

/** The variable a collection of a JobRun name holds ("deliveryPipelines" → "deliveryPipeline"), if any. */
export function variableOfCollection(collection: string): keyof JobRunNameParts | undefined {
  return variableByCollection.get(collection);
}

/**
 * The name prefixes a Rollout (or the Rollout of a JobRun) lies under, shortest first:
 * `projects/p`, `projects/p/locations/l`, … up to the full Rollout name.
 */
export function parentPrefixes(parts: RolloutNameParts): string[] {
  const prefixes: string[] = [];
  let prefix = "";
  for (const { collection, variable } of rolloutPattern.parts) {
    prefix = `${prefix === "" ? "" : `${prefix}/`}${collection}/${parts[variable]}`;
    prefixes.push(prefix);
  }
  return prefixes;
}

/** The DeliveryPipeline name of a Rollout or JobRun: `projects/p/locations/l/deliveryPipelines/d`. */
export function deliveryPipelineOf(parts: RolloutNameParts): string {
  return parentPrefixes(parts)[2]!;
}

/** The Release name of a Rollout or JobRun: `…/deliveryPipelines/d/releases/r`. */
export function releaseOf(parts: RolloutNameParts): string {
  return parentPrefixes(parts)[3]!;
}

/** The Rollout name of a JobRun (or of a Rollout: itself): `…/releases/r/rollouts/o`. */
export function rolloutOf(parts: RolloutNameParts): string {
  return parentPrefixes(parts)[4]!;
}

/** The ids in a resource name (every second segment), without the collection words. */
export function nameIds(name: string): string[] {
  return name.split("/").filter((_, i) => i % 2 === 1);
}

/**
 * The part of a List parent that names runs exactly: its longest prefix without a wildcard.
 * `complete` says whether every run under that prefix is under the parent (nothing concrete follows
 * the first wildcard); when it is false, each run must still be checked with `isJobRunInParent`
 * (`locations/-/deliveryPipelines/web/…`).
 */
export function concretePrefixOf(parent: RolloutNameParts): {
  readonly prefix: string;
  readonly complete: boolean;
} {
  let prefix = "";
  let wildcardSeen = false;
  let complete = true;
  for (const { collection, variable } of rolloutPattern.parts) {
    const value = parent[variable];
    if (value === WILDCARD) {
      wildcardSeen = true;
    } else if (wildcardSeen) {
      complete = false;
    } else {
      prefix = `${prefix === "" ? "" : `${prefix}/`}${collection}/${value}`;
    }
  }
  return { prefix, complete };
}

/**
 * Parses a prefix of a JobRun name, such as `projects/p` or `projects/p/locations/l`: whole
 * collection/value pairs in JobRun order, each value obeying the segment rules (no wildcard). Returns
 * the prefix; throws an INVALID_ARGUMENT ApiError naming the segment and the rule.
 */
export function parseNamePrefix(prefix: string, options: Pick<ParseNameOptions, "field"> = {}): string {
  const pairs = Math.max(1, Math.min(JOB_RUN_COLLECTIONS.length, Math.ceil(prefix.split("/").length / 2)));
  const pattern: ResourcePattern<keyof JobRunNameParts> = {
    kind: "JobRun name prefix",
    parts: jobRunPattern.parts.slice(0, pairs),
  };
  parseResourceName(pattern, prefix, options);
  return prefix;
}

/**
 * Whether a name lies under a prefix (or is it), compared by whole segments: `projects/p` does not
 * admit `projects/p2`. A wildcard in `name` never lies under a concrete value of the prefix: it could
 * stand for another one.
 */
export function isNameUnder(name: string, prefix: string): boolean {
  if (name.length === prefix.length) return name === prefix;
  return name.length > prefix.length && name.charCodeAt(prefix.length) === 47 && name.startsWith(prefix);
}

/** Whether any id of a name is the `-` wildcard. */
export function nameHasWildcard(name: string): boolean {
  return nameIds(name).includes(WILDCARD);
}
