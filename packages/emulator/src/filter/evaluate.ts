// Turns a parsed filter into a predicate over JobRuns. Fields and literals are checked here, once per
// request, so evaluation per run is a chain of closures with no lookups or parsing.
//
// Semantics (documented in the README):
// - A comparison on a value that is not there (an unset timestamp, a field of another job kind) is false,
//   whatever the operator; `NOT` inverts it.
// - `field:*` is true when the field is set (non-default scalar, present message, non-empty list or map).
// - `:` on a scalar is equality; on a repeated field it means "contains"; on a map, "has this key".
// - `=` and `!=` on strings treat `*` as "any characters" (`name = "*/rollouts/r-1/*"`).
// - Enums compare by number, and take their value names (quoted or bare) or numbers as literals.

import type { JobRun } from "@jobrun/core";
import { parseRfc3339, timestampPartsMs } from "@jobrun/core";
import type { Comparator, FilterNode, Literal } from "./ast.js";
import { ABSENT, FieldPathError, type FieldType, type ResolvedField, resolveField } from "./fields.js";
import { filterError } from "./filter-error.js";
import { compileGlob, type GlobMatcher } from "./glob.js";
import { parseFilter } from "./parser.js";

export type JobRunPredicate = (run: JobRun) => boolean;

/** Compiles a filter text; the empty filter matches everything. Throws INVALID_ARGUMENT naming the column. */
export function compileFilter(filter: string): JobRunPredicate {
  const tree = parseFilter(filter);
  return tree === undefined ? () => true : compileNode(tree, filter);
}

function compileNode(node: FilterNode, filter: string): JobRunPredicate {
  switch (node.kind) {
    case "and": {
      const children = node.children.map((child) => compileNode(child, filter));
      return (run) => children.every((child) => child(run));
    }
    case "or": {
      const children = node.children.map((child) => compileNode(child, filter));
      return (run) => children.some((child) => child(run));
    }
    case "not": {
      const child = compileNode(node.child, filter);
      return (run) => !child(run);
    }
    case "compare":
      return compileComparison(
        node.field.segments,
        node.field.offset,
        node.op,
        node.opOffset,
        node.value,
        filter,
      );
  }
}

function compileComparison(
  segments: readonly string[],
  fieldOffset: number,
  op: Comparator,
  opOffset: number,
  literal: Literal,
  filter: string,
): JobRunPredicate {
  let field: ResolvedField;
  try {
    field = resolveField(segments);
  } catch (error) {
    if (error instanceof FieldPathError) {
      const offset = fieldOffset + segments.slice(0, error.segment).reduce((sum, s) => sum + s.length + 1, 0);
      throw filterError(filter, offset, error.message);
    }
    throw error;
  }
  const fail = (reason: string): never => {
    throw filterError(filter, literal.offset, reason);
  };
  const opFail = (reason: string): never => {
    throw filterError(filter, opOffset, reason);
  };

  if (op === ":" && literal.text === "*" && !literal.quoted) {
    return field.isSet;
  }

  const { get } = field;
  switch (field.type) {
    case "message":
      return opFail(`${field.path} is a message; only "${field.path}:*" (is it set) applies to it`);
    case "map": {
      if (op !== ":")
        opFail(`${field.path} is a map; use "${field.path}:key" or compare "${field.path}.key"`);
      const key = literal.text;
      return (run) => {
        const map = get(run);
        return map !== ABSENT && Object.hasOwn(map as object, key);
      };
    }
    case "list": {
      if (op !== ":") opFail(`${field.path} is a repeated field; only ":" (contains) applies to it`);
      const element = field.elementType ?? "string";
      const expected = convertLiteral(element, field, literal, "=", fail);
      return (run) => {
        const list = get(run);
        return (
          list !== ABSENT && (list as unknown[]).some((item) => compareValues(element, item, "=", expected))
        );
      };
    }
    default: {
      const type = field.type;
      if (type === "bool" && op !== "=" && op !== "!=" && op !== ":") {
        opFail(`${field.path} is a bool; only =, != and : apply to it`);
      }
      const expected = convertLiteral(type, field, literal, op, fail);
      return (run) => {
        const value = get(run);
        return value !== ABSENT && compareValues(type, value, op, expected);
      };
    }
  }
}

/** A string literal with `*` in an equality: matched as a glob (glob.ts), never as a regex. */
interface Glob {
  readonly glob: GlobMatcher;
}

type Expected = string | number | boolean | Glob;

function convertLiteral(
  type: FieldType,
  field: ResolvedField,
  literal: Literal,
  op: Comparator,
  fail: (reason: string) => never,
): Expected {
  const { text } = literal;
  switch (type) {
    case "string":
      // Only equality takes "*" as a wildcard; an ordering compares the text as written.
      return text.includes("*") && (op === "=" || op === "!=" || op === ":")
        ? { glob: compileGlob(text) }
        : text;
    case "enum": {
      const desc = field.enumDesc!;
      const byName = desc.values.find((v) => v.name === text);
      if (byName !== undefined) return byName.number;
      if (/^-?\d+$/.test(text) && !literal.quoted) return Number(text);
      return fail(
        `${JSON.stringify(text)} is not a value of ${field.path} (${desc.name}); expected one of ${desc.values.map((v) => v.name).join(", ")}`,
      );
    }
    case "timestamp": {
      const parts = parseRfc3339(text);
      if (parts === undefined) {
        return fail(
          `${JSON.stringify(text)} is not an RFC 3339 timestamp such as "2025-01-31T12:00:00Z" (${field.path})`,
        );
      }
      return timestampPartsMs(parts);
    }
    case "bool":
      if (text === "true" || text === "false") return text === "true";
      return fail(`${JSON.stringify(text)} is not a bool (true or false) for ${field.path}`);
    case "number": {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n))
        return fail(`${JSON.stringify(text)} is not a number for ${field.path}`);
      return n;
    }
    default:
      return fail(`${field.path} cannot be compared with a value`);
  }
}

function compareValues(type: FieldType, raw: unknown, op: Comparator, expected: Expected): boolean {
  if (typeof expected === "object") {
    const matches = expected.glob(raw as string);
    return op === "!=" ? !matches : matches;
  }
  const value = type === "number" || type === "enum" ? Number(raw) : raw;
  switch (op) {
    case "=":
    case ":":
      return value === expected;
    case "!=":
      return value !== expected;
    case "<":
      return (value as number) < (expected as number);
    case "<=":
      return (value as number) <= (expected as number);
    case ">":
      return (value as number) > (expected as number);
    case ">=":
      return (value as number) >= (expected as number);
  }
}
