// Google's partial responses: the `fields` system parameter (`name,state`, `deployJobRun/build`,
// `jobRuns(name,state),nextPageToken`, `*`). Parsed once into a tree of field names, checked against
// a response schema (when the server is ours), and applied to the proto3 JSON of an answer.
//
// Grammar, as Google's partial-response documentation gives it:
//   selection := item ("," item)*
//   item      := path ["(" selection ")"]      sub-fields of an object, or of each element of an array
//   path      := name ("/" name)*              a/b: field b inside field a
//   name      := a field name (JSON or proto spelling), or "*" for every field at that level

import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { quote } from "../text/truncate.js";

/**
 * One level of a selection: the fields selected there, each taking its whole value (`true`) or only
 * the sub-fields of its own node. The key `*` stands for every field of that level.
 */
export type FieldSelectionNode = ReadonlyMap<string, FieldSelectionNode | true>;

/** A parsed `fields` parameter. */
export interface FieldSelection {
  /** The parameter as given (what is forwarded to a server that applies it itself). */
  readonly text: string;
  readonly root: FieldSelectionNode;
}

/** The wildcard name: every field at its level. */
export const ALL_FIELDS = "*";

/** Longest `fields` value read; a selection of this API's few fields is far shorter. */
const MAX_SELECTION_LENGTH = 2048;
/** Deepest nesting read; JobRun's deepest field is five levels down. */
const MAX_SELECTION_DEPTH = 16;

const NAME_CHAR = /[A-Za-z0-9_]/;

function selectionError(reason: string): ApiError {
  return new ApiError("INVALID_ARGUMENT", `invalid fields parameter: ${reason}`, {
    details: [badRequest("fields", reason)],
    reason: "INVALID_FIELD_SELECTION",
  });
}

type MutableNode = Map<string, FieldSelectionNode | true>;

/**
 * Parses a `fields` value. Syntax errors (an empty name, an unbalanced parenthesis, a stray
 * character) are an INVALID_ARGUMENT that says where.
 */
export function parseFieldSelection(text: string): FieldSelection {
  if (text.length > MAX_SELECTION_LENGTH) {
    throw selectionError(`it is longer than ${MAX_SELECTION_LENGTH} characters`);
  }
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && (text[at] === " " || text[at] === "\t")) at += 1;
  };
  const name = (): string => {
    skipSpace();
    if (text[at] === ALL_FIELDS) {
      at += 1;
      return ALL_FIELDS;
    }
    const start = at;
    while (at < text.length && NAME_CHAR.test(text[at] as string)) at += 1;
    if (at === start) {
      throw selectionError(
        at >= text.length
          ? "a field name is missing at the end"
          : `expected a field name at character ${at + 1}, found ${quote(text[at] as string, 10)}`,
      );
    }
    return text.slice(start, at);
  };
  const list = (into: MutableNode, depth: number): void => {
    if (depth > MAX_SELECTION_DEPTH) throw selectionError(`it nests deeper than ${MAX_SELECTION_DEPTH}`);
    for (;;) {
      // One item: a path, then optionally a parenthesised sub-selection of its last field.
      const path = [name()];
      skipSpace();
      while (text[at] === "/") {
        at += 1;
        path.push(name());
        skipSpace();
      }
      if (path.length > MAX_SELECTION_DEPTH)
        throw selectionError(`it nests deeper than ${MAX_SELECTION_DEPTH}`);
      let leaf: FieldSelectionNode | true = true;
      if (text[at] === "(") {
        at += 1;
        const inner: MutableNode = new Map();
        list(inner, depth + path.length);
        leaf = inner;
        skipSpace();
        if (text[at] !== ")") throw selectionError(`a "(" is not closed`);
        at += 1;
        skipSpace();
      }
      addPath(into, path, leaf);
      if (text[at] !== ",") return;
      at += 1;
    }
  };
  const root: MutableNode = new Map();
  list(root, 0);
  if (at < text.length) {
    throw selectionError(
      text[at] === ")"
        ? `a ")" at character ${at + 1} closes nothing`
        : `unexpected ${quote(text[at] as string, 10)} at character ${at + 1}`,
    );
  }
  return { text, root };
}

/** Adds one selected path; a field selected whole stays whole whatever else selects inside it. */
function addPath(node: MutableNode, path: readonly string[], leaf: FieldSelectionNode | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    node.set(head, mergeInto(node, head, leaf));
    return;
  }
  const existing = node.get(head);
  if (existing === true) return;
  const child: MutableNode = new Map(existing ?? []);
  addPath(child, rest, leaf);
  node.set(head, child);
}

/**
 * Checks a selection against the schema of the answer it applies to, and spells every name the way
 * the JSON answer does (a proto name such as `job_runs` becomes `jobRuns`). A name the message does
 * not have, or sub-fields asked of a field that has none, is an INVALID_ARGUMENT naming it.
 */
export function checkFieldSelection(schema: DescMessage, selection: FieldSelection): FieldSelection {
  return { text: selection.text, root: checkNode(schema, selection.root, "") };
}

function checkNode(message: DescMessage, node: FieldSelectionNode, path: string): FieldSelectionNode {
  const out: MutableNode = new Map();
  for (const [key, sub] of node) {
    if (key === ALL_FIELDS) {
      // Sub-fields of "every field" are checked where each field is applied, not here.
      out.set(key, sub);
      continue;
    }
    const field = message.fields.find((f) => f.jsonName === key || f.name === key);
    const here = path === "" ? key : `${path}/${key}`;
    if (field === undefined) {
      throw selectionError(`${quote(here, 100)} is not a field of ${message.typeName}`);
    }
    const merged = mergeInto(out, field.jsonName, sub === true ? true : checkSub(field, sub, here));
    out.set(field.jsonName, merged);
  }
  return out;
}

function checkSub(field: DescField, node: FieldSelectionNode, path: string): FieldSelectionNode {
  if (field.fieldKind === "map") return node; // keys are data, not fields: any name may follow
  const message =
    field.fieldKind === "message" ? field.message : field.fieldKind === "list" ? field.message : undefined;
  // Well-known types (a Timestamp is a string in JSON) have no fields to select either.
  if (message === undefined || message.typeName.startsWith("google.protobuf.")) {
    throw selectionError(`${quote(path, 100)} has no fields to select`);
  }
  return checkNode(message, node, path);
}

/** What `key` selects once `value` is added to what `out` already selects for it. */
function mergeInto(
  out: FieldSelectionNode,
  key: string,
  value: FieldSelectionNode | true,
): FieldSelectionNode | true {
  const existing = out.get(key);
  if (existing === undefined) return value;
  if (existing === true || value === true) return true;
  const merged: MutableNode = new Map(existing);
  for (const [k, v] of value) merged.set(k, mergeInto(merged, k, v));
  return merged;
}

/**
 * The part of a proto3 JSON answer a selection asks for. A sub-selection applies to an object's
 * fields, or to those of each element of an array; a sub-object left with nothing selected is
 * omitted, as an unset message is, and so is a scalar asked for sub-fields it cannot have.
 */
export function selectFields(value: JsonValue, node: FieldSelectionNode): JsonValue {
  return selectIn(value, node) ?? {};
}

function selectIn(value: JsonValue, node: FieldSelectionNode): JsonValue | undefined {
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const selected = selectIn(item, node);
      if (selected !== undefined) items.push(selected);
    }
    return items.length === 0 && value.length > 0 ? undefined : items;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const out: JsonObject = {};
  const wildcard = node.get(ALL_FIELDS);
  for (const key of Object.keys(value)) {
    const named = node.get(key);
    const sub =
      named === undefined
        ? wildcard
        : wildcard === undefined
          ? named
          : mergeInto(new Map([[key, named]]), key, wildcard);
    if (sub === undefined) continue;
    const field = value[key] as JsonValue;
    if (sub === true) {
      out[key] = field;
      continue;
    }
    const selected = selectIn(field, sub);
    if (selected === undefined) continue;
    if (typeof selected === "object" && selected !== null && !Array.isArray(selected)) {
      if (Object.keys(selected).length === 0) continue;
    }
    out[key] = selected;
  }
  return out;
}
