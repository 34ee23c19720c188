import {
  formatResourceName,
  type ParseNameOptions,
  parseResourceName,
  type ResourcePattern,
} from "./resource-pattern.js";

/** The variables of a DeployPolicy name: `projects/{project}/locations/{location}/deployPolicies/{deployPolicy}`. */
export interface DeployPolicyNameParts {
  readonly project: string;
  readonly location: string;
  readonly deployPolicy: string;
}

const deployPolicyPattern: ResourcePattern<keyof DeployPolicyNameParts> = {
  kind: "DeployPolicy",
  parts: [
    { collection: "projects", variable: "project", wildcard: false },
    { collection: "locations", variable: "location", wildcard: false },
    { collection: "deployPolicies", variable: "deployPolicy", wildcard: false },
  ],
};

/** Formats a DeployPolicy name (the entries of TerminateJobRunRequest.overrideDeployPolicy). */
export function deployPolicyName(parts: DeployPolicyNameParts): string {
  return formatResourceName(deployPolicyPattern, parts);
}

/** Parses a DeployPolicy name; throws INVALID_ARGUMENT naming the segment and the rule. */
export function parseDeployPolicyName(
  name: string,
  options: Pick<ParseNameOptions, "field"> = {},
): DeployPolicyNameParts {
  return parseResourceName(deployPolicyPattern, name, options);
}
