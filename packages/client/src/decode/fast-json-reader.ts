import {
  create,
  type DescEnum,
  type DescField,
  type DescMessage,
  type MessageShape,
  protoInt64,
  ScalarType,
} from "@bufbuild/protobuf";

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

// Servers write timestamps as "2025-01-01T12:00:00.123456Z": that form is read here digit by digit,
// which is several times faster than a regex and Date.parse. Anything else (an offset, a day past
// the month's end, a leap second) is left to protobuf-es, whose result it must equal.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function readTimestamp(json: unknown): unknown {
  if (typeof json !== "string" || json.length < 20 || json.length > 30) return GIVE_UP;
  const s = json;
  if (s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return GIVE_UP;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  // digits() is -1 for a non-digit. Years below 100 are left out too: Date.UTC maps 0-99 to 1900-1999.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return GIVE_UP;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return GIVE_UP;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return GIVE_UP;
  let nanos = 0;
  let end = 19;
  if (s[19] === ".") {
    end = 20;
    while (end < s.length && end < 29 && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end += 1;
    const fraction = end - 20;
    if (fraction === 0) return GIVE_UP;
    nanos = digits(s, 20, fraction) * 10 ** (9 - fraction);
  }
  if (end !== s.length - 1 || s[end] !== "Z") return GIVE_UP;
  if (nanos < 0) return GIVE_UP;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return { $typeName: "google.protobuf.Timestamp", seconds: protoInt64.parse(ms / 1000), nanos };
}

/** The number written by `count` ASCII digits at `start`, or -1 if any is not a digit. */
function digits(s: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const code = s.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}
