// protoc-gen-zod: emits, next to each target file, `<file>_zod.ts` with one zod schema per message and
// enum, describing exactly the proto3 JSON that protobuf-es `fromJson` (default options) accepts:
//
// - a field may be given by its JSON name or its proto name, but not both;
// - unknown keys are refused; `null` resets any singular field and skips a list or map;
// - at most one member of a oneof may be present;
// - int32 takes a number or a decimal string (no surrounding space) holding an integer in range;
// - an enum takes a value name, or any int32 (proto3 enums are open);
// - google.protobuf.Timestamp takes an RFC 3339 string between years 1 and 9999.
//
// The core package tests this equivalence on a corpus of valid and invalid documents.

import {
  type DescEnum,
  type DescField,
  type DescFile,
  type DescMessage,
  ScalarType,
} from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import {
  createEcmaScriptPlugin,
  type GeneratedFile,
  type Printable,
  runNodeJs,
  type Schema,
} from "@bufbuild/protoplugin";

/** Name of the exported schema for a message or enum, e.g. `DeployJobRun_FailureCauseJsonSchema`. */
function schemaName(desc: DescMessage | DescEnum): string {
  const local = desc.typeName.slice(desc.file.proto.package.length + 1).replaceAll(".", "_");
  return `${local}JsonSchema`;
}

const supportedWkt = new Set(["google.protobuf.Timestamp"]);

/** What the printers of one generated file share. */
interface Ctx {
  readonly out: GeneratedFile;
  /** The imported `z` symbol of zod. */
  readonly z: Printable;
  /** The proto file being generated; types declared elsewhere are imported from their file's schemas. */
  readonly file: DescFile;
}

function generateTs(schema: Schema): void {
  for (const file of schema.files) {
    const out = schema.generateFile(`${file.name}_zod.ts`);
    out.preamble(file);
    const z = out.import("z", "zod");
    const ctx: Ctx = { out, z, file };
    const types = [...nestedTypes(file)];
    printHelpers(out, z, helpersUsedBy(types));
    // Enums first: message schemas refer to them directly, and to other messages lazily.
    for (const type of types) if (type.kind === "enum") printEnum(ctx, type);
    for (const type of types) if (type.kind === "message") printMessage(ctx, type);
  }
}

/** Which of the file-local helpers a file's schemas use: only those are printed (no unused locals). */
interface HelpersUsed {
  readonly int32: boolean;
  readonly int32Bounds: boolean;
  readonly exclusiveKeys: boolean;
}

const INT32_SCALARS = new Set([ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32]);

function helpersUsedBy(types: readonly { readonly kind: string }[]): HelpersUsed {
  let int32 = false;
  let enums = false;
  let exclusiveKeys = false;
  for (const type of types) {
    if (type.kind === "enum") enums = true;
    if (type.kind !== "message") continue;
    const message = type as DescMessage;
    if (message.oneofs.length > 0) exclusiveKeys = true;
    for (const field of message.fields) {
      if (field.jsonName !== field.name) exclusiveKeys = true;
      if (field.scalar !== undefined && INT32_SCALARS.has(field.scalar)) int32 = true;
    }
  }
  return { int32, int32Bounds: int32 || enums, exclusiveKeys };
}

/** File-local helpers shared by the schemas of one file; kept in the file so it has no runtime import. */
function printHelpers(out: GeneratedFile, z: Printable, used: HelpersUsed): void {
  if (used.int32Bounds) {
    out.print`const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
`;
  }
  if (used.int32) {
    out.print`// protobuf-es reads a decimal string with Number(): "", padded strings and NaN are refused.
function int32FromJson(value: number | string): number | undefined {
  if (typeof value === "string") {
    if (value === "" || value.trim().length !== value.length) return undefined;
    value = Number(value);
  }
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}

const int32Json = ${z}.union([${z}.number(), ${z}.string()]).refine((value) => int32FromJson(value) !== undefined, {
  message: "expected a 32-bit integer, as a number or a decimal string",
});
`;
  }
  out.print`const RFC3339 =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?(?:Z|([+-][0-9][0-9]:[0-9][0-9]))$/;
const MIN_TIMESTAMP_MS = Date.parse("0001-01-01T00:00:00Z");
const MAX_TIMESTAMP_MS = Date.parse("9999-12-31T23:59:59Z");

function isTimestampJson(value: string): boolean {
  const m = RFC3339.exec(value);
  if (m === null) return false;
  const ms = Date.parse(\`\${m[1]}-\${m[2]}-\${m[3]}T\${m[4]}:\${m[5]}:\${m[6]}\${m[8] ?? "Z"}\`);
  return !Number.isNaN(ms) && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
}

/** google.protobuf.Timestamp in JSON: an RFC 3339 string from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
export const TimestampJsonSchema = ${z}.string().refine(isTimestampJson, {
  message: "expected an RFC 3339 timestamp such as 2024-05-01T12:00:00Z",
});
`;
  if (!used.exclusiveKeys) return;
  out.print`/** Refuses a field given both by its JSON name and by its proto name, and two members of one oneof. */
function exclusiveKeys(groups: readonly (readonly string[])[], oneofs: readonly (readonly string[])[]) {
  return (value: Record<string, unknown>, ctx: ${z}.RefinementCtx): void => {
    for (const keys of groups) {
      const present = keys.filter((key) => key in value);
      if (present.length > 1) {
        ctx.addIssue({ code: "custom", path: [present[1]!], message: \`field set multiple times (\${present.join(", ")})\` });
      }
    }
    for (const keys of oneofs) {
      const present = keys.filter((key) => key in value);
      if (present.length > 1) {
        ctx.addIssue({ code: "custom", path: [present[1]!], message: \`oneof set multiple times (\${present.join(", ")})\` });
      }
    }
  };
}
`;
}

function printEnum({ out, z }: Ctx, desc: DescEnum): void {
  const names = desc.values.map((v) => out.string(v.name));
  out.print(out.jsDoc(`JSON form of ${desc.typeName}: a value name, or any int32 (proto3 enums are open).`));
  out.print(
    out.export("const", schemaName(desc)),
    " = ",
    z,
    ".union([",
    z,
    ".enum([",
    ...names.flatMap((n, i) => (i === 0 ? [n] : [", ", n])),
    "]), ",
    z,
    ".number().int().min(INT32_MIN).max(INT32_MAX)]);",
  );
  out.print();
}

function printMessage(ctx: Ctx, desc: DescMessage): void {
  const { out, z } = ctx;
  const lines: Printable[][] = [];
  const keyGroups: string[][] = [];
  for (const field of desc.fields) {
    const keys = field.jsonName === field.name ? [field.name] : [field.jsonName, field.name];
    if (keys.length > 1) keyGroups.push(keys);
    const value = fieldValue(ctx, field);
    for (const key of keys) {
      lines.push([`  `, out.string(key), `: `, ...value, `,`]);
    }
  }
  const oneofGroups = desc.oneofs.map((oneof) =>
    oneof.fields.flatMap((f) => (f.jsonName === f.name ? [f.name] : [f.jsonName, f.name])),
  );
  out.print(out.jsDoc(`JSON form of ${desc.typeName}, as protobuf-es \`fromJson\` accepts it.`));
  out.print(out.export("const", schemaName(desc)), " = ", z, ".strictObject({");
  for (const line of lines) out.print(...line);
  if (keyGroups.length === 0 && oneofGroups.length === 0) {
    out.print(`});`);
  } else {
    out.print(
      "}).superRefine(exclusiveKeys(",
      JSON.stringify(keyGroups),
      ", ",
      JSON.stringify(oneofGroups),
      "));",
    );
  }
  out.print();
}

/** The schema of one field's JSON value; every field is optional and may be null. */
function fieldValue(ctx: Ctx, field: DescField): Printable[] {
  const { z } = ctx;
  switch (field.fieldKind) {
    case "scalar":
      return [...scalarSchema(z, field.scalar, field.toString()), ".nullable().optional()"];
    case "enum":
      return [enumRef(ctx, field.enum), `.nullable().optional()`];
    case "message":
      return [...messageRef(ctx, field.message), `.nullable().optional()`];
    case "list":
      return [z, ".array(", ...elementSchema(ctx, field), ").nullable().optional()"];
    case "map":
      if (field.mapKey !== ScalarType.STRING) {
        throw new Error(`protoc-gen-zod: ${field.toString()}: only string map keys are supported`);
      }
      return [z, ".record(", z, ".string(), ", ...elementSchema(ctx, field), ").nullable().optional()"];
  }
}

/** The schema of one item of a list, or of one value of a map. */
function elementSchema(ctx: Ctx, field: DescField & { fieldKind: "list" | "map" }): Printable[] {
  if (field.scalar !== undefined) return scalarSchema(ctx.z, field.scalar, field.toString());
  if (field.enum !== undefined) return [enumRef(ctx, field.enum)];
  return messageRef(ctx, field.message!);
}

function scalarSchema(z: Printable, scalar: ScalarType, where: string): Printable[] {
  switch (scalar) {
    case ScalarType.STRING:
      return [z, ".string()"];
    case ScalarType.BOOL:
      return [z, ".boolean()"];
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return ["int32Json"];
    default:
      throw new Error(`protoc-gen-zod: ${where}: scalar type ${ScalarType[scalar]} is not supported yet`);
  }
}

function enumRef(ctx: Ctx, desc: DescEnum): Printable {
  return schemaRef(ctx, desc);
}

/**
 * The schema of a type by name: declared in this file, or imported from the `_zod.ts` of the file
 * that declares it (generated in the same run, since every file of the schema is a target). The
 * import path is given from the output root; protoplugin makes it relative to the importing file.
 */
function schemaRef(ctx: Ctx, desc: DescMessage | DescEnum): Printable {
  if (desc.file === ctx.file) return schemaName(desc);
  return ctx.out.import(schemaName(desc), `./${desc.file.name}_zod.js`);
}

function messageRef(ctx: Ctx, desc: DescMessage): Printable[] {
  if (desc.file.proto.package === "google.protobuf") {
    if (!supportedWkt.has(desc.typeName)) {
      throw new Error(`protoc-gen-zod: well-known type ${desc.typeName} is not supported yet`);
    }
    return ["TimestampJsonSchema"];
  }
  // A lazy reference, so that schemas may refer to each other in any declaration order.
  return [ctx.z, ".lazy(() => ", schemaRef(ctx, desc), ")"];
}

const plugin = createEcmaScriptPlugin({
  name: "protoc-gen-zod",
  version: "v1",
  generateTs,
});

runNodeJs(plugin);
