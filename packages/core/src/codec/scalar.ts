// Names and JSON shapes of protobuf scalar types, for messages, schemas and filters that describe a
// field. protobuf-es's ScalarType enum carries the names; proto3 JSON fixes the shapes.

import { ScalarType } from "@bufbuild/protobuf";

/** The proto name of a scalar type: "string", "int64", "bool", "bytes", … */
export function scalarTypeName(scalar: ScalarType): string {
  return ScalarType[scalar]?.toLowerCase() ?? "value";
}

/**
 * How a scalar is written in proto3 JSON: a JSON number (`float`: double and float; `int32`: the
 * 32-bit integers), a decimal string (`int64`: the 64-bit integers), a boolean, a string, or a base64
 * string (`bytes`).
 */
export type ScalarJsonKind = "float" | "int32" | "int64" | "bool" | "string" | "bytes";

export function scalarJsonKind(scalar: ScalarType): ScalarJsonKind {
  switch (scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return "float";
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return "int64";
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.SINT32:
      return "int32";
    case ScalarType.BOOL:
      return "bool";
    case ScalarType.BYTES:
      return "bytes";
    case ScalarType.STRING:
      return "string";
  }
}
