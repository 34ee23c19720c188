import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { quote } from "../text/truncate.js";
import { segmentProblem, WILDCARD } from "./segment.js";

/** One `collection/{variable}` pair of a resource name pattern. */
export interface PatternPart<K extends string> {
  readonly collection: string;
  readonly variable: K;
  /** Whether this segment may be `-` when the name is a List parent. */
  readonly wildcard: boolean;
}

/** A resource name pattern such as `projects/{project}/locations/{location}`, as data. */
export interface ResourcePattern<K extends string> {
  /** The resource kind for messages, e.g. "JobRun". */
  readonly kind: string;
  readonly parts: readonly PatternPart<K>[];
}

/** Options of the parse functions. */
export interface ParseNameOptions {
  /** Allow the AIP-159 `-` wildcard in the segments that may have it (List parents only). */
  readonly wildcards?: boolean;
  /** The request field the name came from, for the error's field violation (default "name"). */
  readonly field?: string;
}

/** The longest name echoed back in an error message; the rest is cut so a 10 KB name stays readable. */
const ECHO_LIMIT = 200;

function echo(name: string): string {
  return quote(name, ECHO_LIMIT);
}

export function nameError(kind: string, name: string, field: string, reason: string): ApiError {
  const message = `invalid ${kind} name ${echo(name)}: ${reason}`;
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest(field, message)],
    reason: "INVALID_RESOURCE_NAME",
  });
}

function patternText<K extends string>(pattern: ResourcePattern<K>): string {
  return pattern.parts.map((p) => `${p.collection}/{${p.variable}}`).join("/");
}

/** Parses `name` against `pattern`; throws an INVALID_ARGUMENT ApiError naming the segment and the rule. */
export function parseResourceName<K extends string>(
  pattern: ResourcePattern<K>,
  name: string,
  options: ParseNameOptions = {},
): Record<K, string> {
  const field = options.field ?? "name";
  if (typeof name !== "string") {
    throw nameError(pattern.kind, String(name), field, "a name must be a string");
  }
  if (name === "")
    throw nameError(pattern.kind, name, field, `it is empty; expected ${patternText(pattern)}`);
  const segments = name.split("/");
  if (segments.length !== pattern.parts.length * 2) {
    throw nameError(
      pattern.kind,
      name,
      field,
      `it has ${segments.length} segments; expected ${pattern.parts.length * 2}, as in ${patternText(pattern)}`,
    );
  }
  const parts = {} as Record<K, string>;
  pattern.parts.forEach((part, i) => {
    const collection = segments[i * 2]!;
    const value = segments[i * 2 + 1]!;
    if (collection !== part.collection) {
      throw nameError(
        pattern.kind,
        name,
        field,
        `segment ${i * 2 + 1} is ${echo(collection)}; expected "${part.collection}"`,
      );
    }
    parts[part.variable] = checkedSegment(pattern, part, value, options.wildcards === true, name, field);
  });
  return parts;
}

/** Formats a name from its parts, checking each one as parseResourceName does. */
export function formatResourceName<K extends string>(
  pattern: ResourcePattern<K>,
  parts: Readonly<Record<K, string>>,
  options: ParseNameOptions = {},
): string {
  const field = options.field ?? "name";
  const segments: string[] = [];
  for (const part of pattern.parts) {
    const value = parts[part.variable];
    const shown = segments.concat(part.collection, String(value)).join("/");
    segments.push(
      part.collection,
      checkedSegment(pattern, part, value, options.wildcards === true, shown, field),
    );
  }
  return segments.join("/");
}

function checkedSegment<K extends string>(
  pattern: ResourcePattern<K>,
  part: PatternPart<K>,
  value: unknown,
  wildcards: boolean,
  name: string,
  field: string,
): string {
  if (typeof value !== "string") {
    throw nameError(pattern.kind, name, field, `the ${part.variable} segment is missing`);
  }
  const problem = segmentProblem(value, {
    wildcard: wildcards && part.wildcard,
    colon: part.variable === "project",
  });
  if (problem !== undefined) {
    throw nameError(pattern.kind, name, field, `the ${part.variable} segment ${problem}`);
  }
  return value;
}

/** Whether any segment of parsed parts is the wildcard. */
export function hasWildcard(parts: Readonly<Record<string, string>>): boolean {
  return Object.values(parts).some((value) => value === WILDCARD);
}
