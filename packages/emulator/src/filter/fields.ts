// The fields a filter or an orderBy may name, read from the JobRun descriptor rather than listed by
// hand, so every field of the schema (nested job-kind fields included) is reachable and none is
// misspelled. A field path is resolved once per request into a getter.

import type { DescEnum, DescField, DescMessage, ScalarType } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { type JobRun, JobRunSchema, scalarJsonKind, timestampPartsMs } from "@jobrun/core";

/** What a resolved field holds, which decides the operators and literals it accepts. */
export type FieldType = "string" | "enum" | "timestamp" | "bool" | "number" | "message" | "list" | "map";

/** Marks a value that is not there: an unset timestamp, or a field of a job kind the run is not. */
export const ABSENT: unique symbol = Symbol("absent");
export type Absent = typeof ABSENT;

/** A field path resolved against JobRun. */
export interface ResolvedField {
  /** The canonical (lowerCamelCase, dotted) path, e.g. `deployJobRun.failureCause`. */
  readonly path: string;
  readonly type: FieldType;
  /** For enums (and lists of enums): the enum, to read names in literals. */
  readonly enumDesc?: DescEnum;
  /** For lists and maps: the type of each element or value. */
  readonly elementType?: FieldType;
  /**
   * The value, or ABSENT when a containing message is missing (or a timestamp is unset).
   * Timestamps are milliseconds since the epoch as a float (sub-millisecond digits kept).
   */
  readonly get: (run: JobRun) => unknown;
  /** Whether the field is set in the proto3 sense (non-default scalar, present message, non-empty list). */
  readonly isSet: (run: JobRun) => boolean;
}

/** Why a path could not be resolved, and which segment (0-based) is to blame. */
export class FieldPathError extends Error {
  constructor(
    message: string,
    readonly segment: number,
  ) {
    super(message);
  }
}

type Getter = (value: unknown) => unknown;

/** Resolves a dotted path such as `deployJobRun.metadata.cloudRun.service` (camelCase, snake_case or PascalCase). */
export function resolveField(segments: readonly string[]): ResolvedField {
  let message: DescMessage = JobRunSchema;
  const getters: Getter[] = [];
  const canonical: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const field = findField(message, segment);
    if (field === undefined) {
      const where = canonical.length === 0 ? "JobRun" : `${canonical.join(".")} (${message.name})`;
      throw new FieldPathError(
        `unknown field "${segments.slice(0, i + 1).join(".")}": ${where} has no field "${segment}"; known: ${knownFields(message)}`,
        i,
      );
    }
    canonical.push(field.jsonName);
    getters.push(getterOf(field));
    const last = i === segments.length - 1;
    if (field.fieldKind === "message" && !isTimestamp(field.message) && !last) {
      message = field.message;
      continue;
    }
    if (field.fieldKind === "map" && !last) {
      // The next segment is a map key: `deployJobRun.metadata.custom.values.region`.
      const key = segments[i + 1]!;
      canonical.push(key);
      getters.push((map) =>
        Object.hasOwn(map as object, key) ? (map as Record<string, unknown>)[key] : ABSENT,
      );
      if (i + 1 !== segments.length - 1) {
        throw new FieldPathError(
          `"${canonical.join(".")}" is a string; it has no field "${segments[i + 2]}"`,
          i + 2,
        );
      }
      return finish(canonical, getters, field.mapKind === "scalar" ? "string" : "message", field, true);
    }
    if (!last) {
      throw new FieldPathError(
        `"${canonical.join(".")}" is a ${describeField(field)}; it has no field "${segments[i + 1]}"`,
        i + 1,
      );
    }
    return finish(canonical, getters, typeOf(field), field, false);
  }
  throw new FieldPathError("a field path must not be empty", 0);
}

function finish(
  canonical: readonly string[],
  getters: readonly Getter[],
  type: FieldType,
  field: DescField,
  mapValue: boolean,
): ResolvedField {
  const get = (run: JobRun): unknown => {
    let value: unknown = run;
    for (const getter of getters) {
      // A missing containing message makes everything below it absent.
      if (value === undefined) return ABSENT;
      value = getter(value);
      if (value === ABSENT) return ABSENT;
    }
    if (type === "timestamp") return value === undefined ? ABSENT : timestampPartsMs(value as Timestamp);
    if (type === "message" && value === undefined) return ABSENT;
    return value;
  };
  const isSet = (run: JobRun): boolean => {
    const value = get(run);
    if (value === ABSENT) return false;
    if (mapValue) return true;
    switch (type) {
      case "list":
        return (value as unknown[]).length > 0;
      case "map":
        return Object.keys(value as object).length > 0;
      case "string":
        return value !== "";
      case "enum":
      case "number":
        return Number(value) !== 0;
      case "bool":
        return value === true;
      default:
        return true;
    }
  };
  const elementType =
    field.fieldKind === "list"
      ? field.listKind === "enum"
        ? "enum"
        : field.listKind === "message"
          ? "message"
          : field.scalar === undefined
            ? "string"
            : scalarFieldType(field.scalar)
      : field.fieldKind === "map" && !mapValue
        ? "string"
        : undefined;
  const enumDesc =
    field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")
      ? field.enum
      : undefined;
  return {
    path: canonical.join("."),
    type,
    ...(enumDesc === undefined ? {} : { enumDesc }),
    ...(elementType === undefined ? {} : { elementType }),
    get,
    isSet,
  };
}

function getterOf(field: DescField): Getter {
  const local = field.localName;
  if (field.oneof !== undefined) {
    const oneof = field.oneof.localName;
    return (message) => {
      const group = (message as Record<string, { case?: string; value?: unknown }>)[oneof];
      return group?.case === local ? group.value : ABSENT;
    };
  }
  return (message) => (message as Record<string, unknown>)[local];
}

function findField(message: DescMessage, segment: string): DescField | undefined {
  const lowered = segment.length > 0 ? segment[0]!.toLowerCase() + segment.slice(1) : segment;
  return message.fields.find((f) => f.jsonName === lowered || f.name === segment || f.localName === lowered);
}

function isTimestamp(message: DescMessage): boolean {
  return message.typeName === "google.protobuf.Timestamp";
}

function typeOf(field: DescField): FieldType {
  switch (field.fieldKind) {
    case "list":
      return "list";
    case "map":
      return "map";
    case "enum":
      return "enum";
    case "message":
      return isTimestamp(field.message) ? "timestamp" : "message";
    case "scalar":
      return scalarFieldType(field.scalar);
  }
}

/** Strings and bytes compare as text, bools as bools, every number type (64-bit ones too) as a number. */
function scalarFieldType(scalar: ScalarType): FieldType {
  const kind = scalarJsonKind(scalar);
  return kind === "string" || kind === "bytes" ? "string" : kind === "bool" ? "bool" : "number";
}

function describeField(field: DescField): string {
  const type = typeOf(field);
  return type === "list" ? "repeated field" : type === "timestamp" ? "timestamp" : type;
}

function knownFields(message: DescMessage): string {
  return message.fields.map((f) => f.jsonName).join(", ");
}
