// Resource scopes: name prefixes such as `projects/p`, `projects/p/locations/l` or
// `projects/p/locations/l/deliveryPipelines/d`. They are compared segment by segment (never as
// strings: `projects/p` must not admit `projects/p2`), and the AIP-159 wildcard `-` of a List parent
// counts as "anything", so a parent with `-` where a scope names a value could reach outside it.

import { type ApiError, parseJobRunName, WILDCARD } from "@jobrun/core";
import { proxyError } from "./errors.js";

/** The collections of a JobRun name, in order. */
const COLLECTIONS = [
  "projects",
  "locations",
  "deliveryPipelines",
  "releases",
  "rollouts",
  "jobRuns",
] as const;

/** A scope as segments: `["projects", "p", "locations", "l"]`. */
export type Scope = readonly string[];

/** Parses scope prefixes; throws an Error naming the bad one. */
export function parseScopes(scopes: readonly string[]): Scope[] {
  return scopes.map(parseScope);
}

// A caller's scopes come from its key or token, the same array on each of its requests: parsed once.
const parsedScopes = new WeakMap<readonly string[], Scope[]>();

/** A caller's scope prefixes, parsed once per array (the rpc and the watch step both ask for them). */
export function scopesOf(prefixes: readonly string[]): Scope[] {
  let scopes = parsedScopes.get(prefixes);
  if (scopes === undefined) {
    scopes = parseScopes(prefixes);
    parsedScopes.set(prefixes, scopes);
  }
  return scopes;
}

function parseScope(scope: string): Scope {
  const segments = scope.split("/");
  const bad = (reason: string) => new Error(`scope ${JSON.stringify(scope)} ${reason}`);
  if (segments.length % 2 !== 0 || segments.length === 0) {
    throw bad(`must be collection/value pairs, such as "projects/p" or "projects/p/locations/l"`);
  }
  segments.forEach((segment, i) => {
    if (i % 2 === 0 && segment !== COLLECTIONS[i / 2]) {
      throw bad(`has "${segment}" where "${COLLECTIONS[i / 2] ?? "(nothing)"}" belongs`);
    }
  });
  // The values obey the same rules as a JobRun name's (no wildcard, no dots, no "%"): check them by
  // completing the prefix into a name and letting core's parser judge it.
  const filler = COLLECTIONS.slice(segments.length / 2).flatMap((collection) => [collection, "x"]);
  try {
    parseJobRunName([...segments, ...filler].join("/"), { field: "scope" });
  } catch (error) {
    throw bad(`is not valid: ${(error as Error).message}`);
  }
  return segments;
}

function covers(scope: Scope, segments: readonly string[]): boolean {
  if (scope.length > segments.length) return false;
  for (let i = 0; i < scope.length; i += 1) {
    // A wildcard in `segments` is not equal to any scope value: it could mean another one.
    if (segments[i] !== scope[i]) return false;
  }
  return true;
}

/** Whether a JobRun or List parent name lies inside one of the scopes (wildcards count as escapes). */
export function inScopes(scopes: readonly Scope[], name: string): boolean {
  const segments = name.split("/");
  return scopes.some((scope) => covers(scope, segments));
}

/** The PERMISSION_DENIED a caller gets for a name outside its scopes. Says no more than Google would. */
export function outOfScope(field: "name" | "parent", name: string): ApiError {
  const wildcard = field === "parent" && name.split("/").includes(WILDCARD);
  const why = wildcard
    ? "the parent's wildcard could reach resources outside the caller's scopes"
    : "it is outside the caller's scopes";
  return proxyError(
    "PERMISSION_DENIED",
    "RESOURCE_OUT_OF_SCOPE",
    `permission denied on ${field} ${JSON.stringify(name)}: ${why}`,
    { metadata: { resource: name } },
  );
}
