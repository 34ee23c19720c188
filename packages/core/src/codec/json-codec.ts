import {
  type DescField,
  type DescMessage,
  fromJson,
  type JsonValue,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { quote } from "../text/truncate.js";
import { scalarTypeName } from "./scalar.js";

/** How enums are written: by name (plain REST) or by number (`$alt=json;enum-encoding=int`). */
export type EnumEncoding = "name" | "int";

export interface EncodeOptions {
  /** Default "name", as the REST API answers without `$alt=json;enum-encoding=int`. */
  readonly enumEncoding?: EnumEncoding;
}

export interface DecodeOptions {
  /**
   * Skip fields and enum names this schema does not know. A client reading a server's answers wants
   * this (a newer API adds fields); a server reading a request does not.
   */
  readonly ignoreUnknownFields?: boolean;
  /** Prefix of the field paths in errors, e.g. `jobRuns[3]`. */
  readonly path?: string;
}

/** Proto3 JSON of a message: lowerCamelCase names, defaults omitted, RFC 3339 timestamps. */
export function encodeJson<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  options: EncodeOptions = {},
): JsonValue {
  return toJson(schema, message, { enumAsInteger: options.enumEncoding === "int" });
}

/**
 * Reads a message from parsed proto3 JSON. A document the schema refuses gives an INVALID_ARGUMENT
 * ApiError whose message and BadRequest detail name the path of the offending field.
 */
export function decodeJson<Desc extends DescMessage>(
  schema: Desc,
  json: unknown,
  options: DecodeOptions = {},
): MessageShape<Desc> {
  const readOptions = { ignoreUnknownFields: options.ignoreUnknownFields ?? false };
  try {
    return fromJson(schema, json as JsonValue, readOptions);
  } catch (cause) {
    const problem = locateProblem(schema, json, readOptions, options.path ?? "");
    const where = problem.path === "" ? schema.typeName : problem.path;
    const message = `invalid ${schema.name} JSON at ${where}: ${problem.reason}`;
    throw new ApiError("INVALID_ARGUMENT", message, {
      details: [badRequest(problem.path, problem.reason)],
      cause,
    });
  }
}

/** Reads a message from JSON text; text that is not JSON is an INVALID_ARGUMENT that says so. */
export function decodeJsonText<Desc extends DescMessage>(
  schema: Desc,
  text: string,
  options: DecodeOptions = {},
): MessageShape<Desc> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const reason =
      text.trim() === "" ? "the body is empty" : `the body is not JSON (${(cause as Error).message})`;
    throw new ApiError("INVALID_ARGUMENT", `invalid ${schema.name} JSON: ${reason}`, { cause });
  }
  return decodeJson(schema, json, options);
}

interface Problem {
  readonly path: string;
  readonly reason: string;
}

type ReadOptions = { readonly ignoreUnknownFields: boolean };

/**
 * Finds the innermost field that makes `fromJson` refuse a document. protobuf-es reports the field's
 * declaration, not where it sits; this walks the document to name the path (`jobRuns[2].state`).
 * It runs only on the error path.
 */
function locateProblem(desc: DescMessage, json: unknown, options: ReadOptions, path: string): Problem {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { path, reason: `expected an object, got ${describe(json)}` };
  }
  const seen = new Map<DescField, string>();
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    const here = join(path, key);
    if (field === undefined) {
      if (options.ignoreUnknownFields) continue;
      return { path: here, reason: `unknown field "${key}" (${desc.typeName} has no such field)` };
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) return { path: here, reason: `field set twice, as "${earlier}" and "${key}"` };
    seen.set(field, key);
    if (field.oneof !== undefined && value !== null) {
      const other = [...seen.entries()].find(([f]) => f !== field && f.oneof === field.oneof);
      if (other !== undefined && (json as Record<string, unknown>)[other[1]] !== null) {
        return { path: here, reason: `only one of ${field.oneof.name} may be set; "${other[1]}" is set too` };
      }
    }
    const inner = locateInField(field, value, options, here);
    if (inner !== undefined) return inner;
  }
  return { path, reason: "the document does not match the schema" };
}

function locateInField(
  field: DescField,
  value: unknown,
  options: ReadOptions,
  path: string,
): Problem | undefined {
  if (value === null) {
    return undefined;
  }
  if (field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.")) {
    return failsAsMessage(field.message, value, options)
      ? locateProblem(field.message, value, options, path)
      : undefined;
  }
  if (field.fieldKind === "list") {
    if (!Array.isArray(value)) return { path, reason: `expected an array, got ${describe(value)}` };
    for (const [index, item] of value.entries()) {
      const itemPath = `${path}[${index}]`;
      if (item === null) return { path: itemPath, reason: "a list item must not be null" };
      if (field.listKind === "message" && !field.message.typeName.startsWith("google.protobuf.")) {
        if (failsAsMessage(field.message, item, options)) {
          return locateProblem(field.message, item, options, itemPath);
        }
      } else if (failsAlone(field, [item], options)) {
        return { path: itemPath, reason: reasonFor(field, item) };
      }
    }
    return undefined;
  }
  if (field.fieldKind === "map") {
    if (typeof value !== "object" || Array.isArray(value)) {
      return { path, reason: `expected an object, got ${describe(value)}` };
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const itemPath = `${path}[${JSON.stringify(key)}]`;
      if (item === null) return { path: itemPath, reason: "a map value must not be null" };
      if (field.mapKind === "message") {
        if (failsAsMessage(field.message, item, options)) {
          return locateProblem(field.message, item, options, itemPath);
        }
      } else if (failsAlone(field, { [key]: item }, options)) {
        return { path: itemPath, reason: reasonFor(field, item) };
      }
    }
    return undefined;
  }
  return failsAlone(field, value, options) ? { path, reason: reasonFor(field, value) } : undefined;
}

function failsAsMessage(desc: DescMessage, value: unknown, options: ReadOptions): boolean {
  try {
    fromJson(desc, value as JsonValue, options);
    return false;
  } catch {
    return true;
  }
}

function failsAlone(field: DescField, value: unknown, options: ReadOptions): boolean {
  return failsAsMessage(field.parent, { [field.jsonName]: value }, options);
}

function reasonFor(field: DescField, value: unknown): string {
  const scalar =
    field.fieldKind === "list" ? field.listKind : field.fieldKind === "map" ? field.mapKind : field.fieldKind;
  if (scalar === "enum") {
    const e = field.enum!;
    return `${describe(value)} is not a value of ${e.typeName} (expected one of ${e.values.map((v) => v.name).join(", ")}, or its number)`;
  }
  if (field.fieldKind === "message" && field.message.typeName === "google.protobuf.Timestamp") {
    return `${describe(value)} is not an RFC 3339 timestamp (such as "2024-05-01T12:00:00Z")`;
  }
  return `${describe(value)} is not a valid ${typeNameOf(field)}`;
}

function typeNameOf(field: DescField): string {
  if (field.scalar !== undefined) return scalarTypeName(field.scalar);
  return field.message?.typeName ?? "value";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return quote(value, 60);
  return String(value);
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
