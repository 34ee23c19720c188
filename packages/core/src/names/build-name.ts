import { type ParseNameOptions, parseResourceName, type ResourcePattern } from "./resource-pattern.js";

/**
 * The variables of a Cloud Build name, as job runs report their build:
 * `projects/{project}/locations/{location}/builds/{build}`.
 */
export interface BuildNameParts {
  readonly project: string;
  readonly location: string;
  readonly build: string;
}

const buildPattern: ResourcePattern<keyof BuildNameParts> = {
  kind: "Build",
  parts: [
    { collection: "projects", variable: "project", wildcard: false },
    { collection: "locations", variable: "location", wildcard: false },
    { collection: "builds", variable: "build", wildcard: false },
  ],
};

/** Parses a Cloud Build name (a job run's `build`); throws INVALID_ARGUMENT naming the segment and the rule. */
export function parseBuildName(name: string, options: Pick<ParseNameOptions, "field"> = {}): BuildNameParts {
  return parseResourceName(buildPattern, name, options);
}
