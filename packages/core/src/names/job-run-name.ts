import {
  formatResourceName,
  type ParseNameOptions,
  parseResourceName,
  type ResourcePattern,
} from "./resource-pattern.js";
import { WILDCARD } from "./segment.js";

/** The variables of a Rollout name: `projects/{project}/locations/{location}/deliveryPipelines/{deliveryPipeline}/releases/{release}/rollouts/{rollout}`. */
export interface RolloutNameParts {
  readonly project: string;
  readonly location: string;
  readonly deliveryPipeline: string;
  readonly release: string;
  readonly rollout: string;
}

/** The variables of a JobRun name: a Rollout name plus `/jobRuns/{jobRun}`. */
export interface JobRunNameParts extends RolloutNameParts {
  readonly jobRun: string;
}

// AIP-159 lets `-` stand for "any" in the parent segments of a List; Cloud Deploy never lists across
// projects, so the project segment is always concrete.
const rolloutParts = [
  { collection: "projects", variable: "project", wildcard: false },
  { collection: "locations", variable: "location", wildcard: true },
  { collection: "deliveryPipelines", variable: "deliveryPipeline", wildcard: true },
  { collection: "releases", variable: "release", wildcard: true },
  { collection: "rollouts", variable: "rollout", wildcard: true },
] as const;

export const rolloutPattern: ResourcePattern<keyof RolloutNameParts> = {
  kind: "Rollout",
  parts: rolloutParts,
};

export const jobRunPattern: ResourcePattern<keyof JobRunNameParts> = {
  kind: "JobRun",
  parts: [...rolloutParts, { collection: "jobRuns", variable: "jobRun", wildcard: false }],
};

/** Formats a JobRun name; throws INVALID_ARGUMENT naming the bad segment. Wildcards are refused. */
export function jobRunName(parts: JobRunNameParts): string {
  return formatResourceName(jobRunPattern, parts);
}

/** Parses a JobRun name; throws INVALID_ARGUMENT naming the segment and the rule it breaks. */
export function parseJobRunName(
  name: string,
  options: Pick<ParseNameOptions, "field"> = {},
): JobRunNameParts {
  return parseResourceName(jobRunPattern, name, options);
}

/** Whether `name` is a valid JobRun name. */
export function isJobRunName(name: unknown): name is string {
  if (typeof name !== "string") return false;
  try {
    parseJobRunName(name);
    return true;
  } catch {
    return false;
  }
}

/** Formats a Rollout name; with `wildcards`, `-` may stand in the location, pipeline, release and rollout. */
export function rolloutName(parts: RolloutNameParts, options: ParseNameOptions = {}): string {
  return formatResourceName(rolloutPattern, parts, options);
}

/** Parses a Rollout name; with `wildcards`, as a List parent, `-` may stand in the non-project segments. */
export function parseRolloutName(name: string, options: ParseNameOptions = {}): RolloutNameParts {
  return parseResourceName(rolloutPattern, name, options);
}

/** Whether `name` is a valid Rollout name (with `wildcards`, a valid List parent). */
export function isRolloutName(
  name: unknown,
  options: Pick<ParseNameOptions, "wildcards"> = {},
): name is string {
  if (typeof name !== "string") return false;
  try {
    parseRolloutName(name, options);
    return true;
  } catch {
    return false;
  }
}

/** The Rollout a JobRun belongs to. */
export function rolloutOfJobRun(parts: JobRunNameParts): RolloutNameParts {
  const { jobRun: _, ...rollout } = parts;
  return rollout;
}

/** Whether a (concrete) JobRun lies under a List parent, wildcards included. */
export function isJobRunInParent(jobRun: JobRunNameParts, parent: RolloutNameParts): boolean {
  return (Object.keys(parent) as (keyof RolloutNameParts)[]).every(
    (key) => parent[key] === WILDCARD || parent[key] === jobRun[key],
  );
}
