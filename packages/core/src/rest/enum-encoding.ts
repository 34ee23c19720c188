import type { EnumEncoding } from "../codec/json-codec.js";

/**
 * The enum encoding a REST caller asks for. Google's generated clients send the system parameter
 * `$alt=json;enum-encoding=int` (or `alt=json;enum-encoding=int`) and expect enums as numbers.
 */
export function enumEncodingFromQuery(query: URLSearchParams): EnumEncoding {
  const alt = query.get("$alt") ?? query.get("alt") ?? "";
  return alt
    .split(";")
    .map((part) => part.trim().toLowerCase())
    .includes("enum-encoding=int")
    ? "int"
    : "name";
}

/** The system parameter that asks for enums as numbers. */
export const ENUM_ENCODING_INT_PARAM = { name: "$alt", value: "json;enum-encoding=int" } as const;
