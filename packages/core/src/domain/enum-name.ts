import type { DescEnum } from "@bufbuild/protobuf";

/**
 * The name of an enum value, e.g. "IN_PROGRESS". A number this schema does not know (Google adds
 * values before any published proto has them, and numeric enum encoding keeps them) is named after
 * its enum, "STATE_7" or "FAILURE_CAUSE_9", so people see that it is new rather than a bare number.
 */
export function enumValueName(schema: DescEnum, value: number): string {
  return schema.value[value]?.name ?? `${upperSnake(schema.name)}_${value}`;
}

// "FailureCause" → "FAILURE_CAUSE".
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}
