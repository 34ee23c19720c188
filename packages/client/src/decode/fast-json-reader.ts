import {
  create,
  type DescEnum,
  type DescField,
  type DescMessage,
  type MessageShape,
  protoInt64,
  ScalarType,
} from "@bufbuild/protobuf";
import { parseRfc3339 } from "@jobrun/core";

// protobuf-es' fromJson is general and careful, and about ten times slower than JSON.parse on a list
// page. This reader is compiled once per schema from the same descriptors and builds the very same
// messages for the shapes servers actually send. Anything unusual (null, a proto field name, an
// unknown enum name, a number written as a string, two members of a oneof) makes it give up with
// GIVE_UP, and the caller decodes the document with core's codec instead, so every edge case and
// every error message is protobuf-es' own.

const GIVE_UP: unique symbol = Symbol("give up");
type Reader = (json: unknown) => unknown;

const readers = new WeakMap<DescMessage, Reader>();

/** The message, or undefined when the document needs the full decoder. */
export function readMessageFast<Desc extends DescMessage>(
  schema: Desc,
  json: unknown,
): MessageShape<Desc> | undefined {
  const result = messageReader(schema)(json);
  return result === GIVE_UP ? undefined : (result as MessageShape<Desc>);
}

function messageReader(desc: DescMessage): Reader {
  const known = readers.get(desc);
  if (known !== undefined) return known;
  if (desc.typeName === "google.protobuf.Timestamp") {
    readers.set(desc, readTimestamp);
    return readTimestamp;
  }
  if (desc.typeName.startsWith("google.protobuf.")) {
    const giveUp: Reader = () => GIVE_UP;
    readers.set(desc, giveUp);
    return giveUp;
  }
  // Registered before its fields are compiled, so recursive schemas terminate.
  let compiled: Reader = () => GIVE_UP;
  readers.set(desc, (json) => compiled(json));
  compiled = compileMessage(desc);
  readers.set(desc, compiled);
  return compiled;
}

interface FieldPlan {
  readonly localName: string;
  readonly oneof: string | undefined;
  readonly read: Reader;
}

function compileMessage(desc: DescMessage): Reader {
  const template = create(desc) as unknown as Record<string, unknown>;
  const plans = new Map<string, FieldPlan>();
  const protoNames = new Set<string>();
  for (const field of desc.fields) {
    plans.set(field.jsonName, {
      localName: field.localName,
      oneof: field.oneof?.localName,
      read: fieldReader(field),
    });
    if (field.name !== field.jsonName) protoNames.add(field.name);
  }
  const containers = desc.fields.filter((f) => f.fieldKind === "list" || f.fieldKind === "map");
  const oneofs = desc.oneofs.map((o) => o.localName);
  return (json) => {
    if (typeof json !== "object" || json === null || Array.isArray(json)) return GIVE_UP;
    const message: Record<string, unknown> = { ...template };
    for (const field of containers) message[field.localName] = field.fieldKind === "list" ? [] : {};
    for (const name of oneofs) message[name] = { case: undefined };
    const object = json as Record<string, unknown>;
    for (const key in object) {
      const plan = plans.get(key);
      if (plan === undefined) {
        if (protoNames.has(key)) return GIVE_UP;
        continue; // an unknown field: a newer server; ignored as ignoreUnknownFields does
      }
      const value = plan.read(object[key]);
      if (value === GIVE_UP) return GIVE_UP;
      if (plan.oneof === undefined) {
        message[plan.localName] = value;
      } else {
        if ((message[plan.oneof] as { case: unknown }).case !== undefined) return GIVE_UP;
        message[plan.oneof] = { case: plan.localName, value };
      }
    }
    return message;
  };
}

function fieldReader(field: DescField): Reader {
  switch (field.fieldKind) {
    case "scalar":
      return scalarReader(field.scalar);
    case "enum":
      return enumReader(field.enum);
    case "message":
      return nonNull(messageReader(field.message));
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalarReader(field.scalar)
          : field.listKind === "enum"
            ? enumReader(field.enum)
            : nonNull(messageReader(field.message));
      return (json) => {
        if (!Array.isArray(json)) return GIVE_UP;
        const list: unknown[] = new Array(json.length);
        for (let i = 0; i < json.length; i += 1) {
          const value = item(json[i]);
          if (value === GIVE_UP) return GIVE_UP;
          list[i] = value;
        }
        return list;
      };
    }
    case "map": {
      if (field.mapKey !== ScalarType.STRING || field.mapKind !== "scalar") return () => GIVE_UP;
      const value = scalarReader(field.scalar);
      return (json) => {
        if (typeof json !== "object" || json === null || Array.isArray(json)) return GIVE_UP;
        const map: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(json)) {
          const read = value(item);
          if (read === GIVE_UP) return GIVE_UP;
          map[key] = read;
        }
        return map;
      };
    }
  }
}

function nonNull(read: Reader): Reader {
  return (json) => (json === null ? GIVE_UP : read(json));
}

function scalarReader(scalar: ScalarType): Reader {
  switch (scalar) {
    case ScalarType.STRING:
      return (json) => (typeof json === "string" ? json : GIVE_UP);
    case ScalarType.BOOL:
      return (json) => (typeof json === "boolean" ? json : GIVE_UP);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return (json) =>
        Number.isInteger(json) && (json as number) >= -0x80000000 && (json as number) <= 0x7fffffff
          ? json
          : GIVE_UP;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return (json) =>
        Number.isInteger(json) && (json as number) >= 0 && (json as number) <= 0xffffffff ? json : GIVE_UP;
    default:
      // 64-bit integers, floats and bytes have JSON forms this schema does not use: decode fully.
      return () => GIVE_UP;
  }
}

function enumReader(desc: DescEnum): Reader {
  const numbers = new Map(desc.values.map((value) => [value.name, value.number]));
  return (json) => {
    if (typeof json === "string") return numbers.get(json) ?? GIVE_UP;
    return Number.isInteger(json) && (json as number) >= -0x80000000 && (json as number) <= 0x7fffffff
      ? json
      : GIVE_UP;
  };
}

// Servers write timestamps as "2025-01-01T12:00:00.123456Z": core's parser reads them digit by digit,
// several times faster than protobuf-es' regex and Date.parse. It also takes lower-case "t" and "z",
// which protobuf-es refuses: those are left to protobuf-es, whose result (or error) must be the one.
function readTimestamp(json: unknown): unknown {
  if (
    typeof json !== "string" ||
    json.charCodeAt(10) !== 84 /* T */ ||
    json.charCodeAt(json.length - 1) === 122 /* z */
  )
    return GIVE_UP;
  const parts = parseRfc3339(json);
  if (parts === undefined) return GIVE_UP;
  return {
    $typeName: "google.protobuf.Timestamp",
    seconds: protoInt64.parse(parts.seconds),
    nanos: parts.nanos,
  };
}
