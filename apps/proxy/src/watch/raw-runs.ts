// The JSON Google sent for each run the google-mode watch listed. get and list hand Google's answers
// on as they came (raw forwarding), fields and enum values newer than this schema included; a watch
// event re-encoded from the decoded run would drop them. So the poller keeps each run's JSON object
// beside the decoded run (for diffing), and an event's `jobRun` is that object: as it came for enums
// by name (Google's default, and what the poller asks for), with the enums the schema knows turned
// into numbers for `enum-encoding=int` (a value it does not know stays a name, which proto3 JSON
// readers take as well), everything else untouched.

import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { type EnumEncoding, type JobRun, JobRunSchema } from "@jobrun/core";

type JsonObject = { [key: string]: unknown };

const rawJsonOf = new WeakMap<JobRun, JsonObject>();

/** Remembers the JSON object `run` was decoded from (for as long as the run is held). */
export function keepRawJson(run: JobRun, json: JsonObject): void {
  rawJsonOf.set(run, json);
}

/** The run's JSON text as Google sent it, in `encoding`; undefined for a run not read from Google. */
export function rawRunJson(run: JobRun, encoding: EnumEncoding): string | undefined {
  const json = rawJsonOf.get(run);
  if (json === undefined) return undefined;
  return JSON.stringify(encoding === "int" ? withEnumNumbers(JobRunSchema, json) : json);
}

/** A copy of a message's JSON with the enum values the schema knows as numbers. */
function withEnumNumbers(schema: DescMessage, json: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = schema.fields.find((f) => f.jsonName === key || f.name === key);
    out[key] = field === undefined ? value : fieldWithEnumNumbers(field, value);
  }
  return out;
}

function fieldWithEnumNumbers(field: DescField, value: unknown): unknown {
  switch (field.fieldKind) {
    case "enum":
      return enumNumber(field.enum.values, value);
    case "message":
      return messageWithEnumNumbers(field.message, value);
    case "list":
      if (!Array.isArray(value)) return value;
      if (field.listKind === "enum") return value.map((item) => enumNumber(field.enum.values, item));
      if (field.listKind === "message")
        return value.map((item) => messageWithEnumNumbers(field.message, item));
      return value;
    case "map": {
      if (!isObject(value) || field.mapKind === "scalar") return value;
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value))
        out[key] =
          field.mapKind === "enum"
            ? enumNumber(field.enum.values, item)
            : messageWithEnumNumbers(field.message, item);
      return out;
    }
    default:
      return value;
  }
}

function messageWithEnumNumbers(schema: DescMessage, value: unknown): unknown {
  // Well-known types (Timestamp, Duration, Struct, Any…) have JSON forms of their own: left as they are.
  if (!isObject(value) || schema.typeName.startsWith("google.protobuf.")) return value;
  return withEnumNumbers(schema, value);
}

function enumNumber(values: readonly { readonly name: string; readonly number: number }[], value: unknown) {
  if (typeof value !== "string") return value;
  return values.find((v) => v.name === value)?.number ?? value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
