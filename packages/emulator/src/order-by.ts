// AIP-132 ordering: `field [desc], field [desc], …` over the same fields filters use. Every ordering
// ends with `name` ascending as a tie-breaker, which makes sort keys unique and cursors exact.

import { ApiError, badRequest, type JobRun } from "@jobrun/core";
import { ABSENT, FieldPathError, type ResolvedField, resolveField } from "./filter/fields.js";

/** One value of a sort key: strings, numbers (enums, timestamps in ms) or null for "not there". */
export type SortValue = string | number | null;
export type SortKey = readonly SortValue[];

export interface OrderColumn {
  readonly field: ResolvedField;
  readonly descending: boolean;
}

/** A parsed orderBy, with the name tie-breaker appended. */
export interface OrderSpec {
  readonly columns: readonly OrderColumn[];
  /** A canonical text such as `createTime desc,name`: equal texts mean the same ordering. */
  readonly canonical: string;
  keyOf(run: JobRun): SortKey;
  compare(a: SortKey, b: SortKey): number;
}

/**
 * The default order of ListJobRuns when orderBy is empty: newest first (`createTime desc`), then by
 * name. Runs without a createTime sort last.
 */
export const DEFAULT_ORDER_BY = "createTime desc";

const orderableTypes = new Set(["string", "enum", "timestamp", "bool", "number"]);

/** Parses an orderBy; "" gives the default order. Throws INVALID_ARGUMENT naming the column of the problem. */
export function parseOrderBy(orderBy: string): OrderSpec {
  const text = orderBy.trim() === "" ? DEFAULT_ORDER_BY : orderBy;
  const columns: OrderColumn[] = [];
  let offset = 0;
  for (const item of text.split(",")) {
    const itemOffset = offset + (item.length - item.trimStart().length);
    offset += item.length + 1;
    const words = item.trim().split(/\s+/);
    const [path = "", direction, extra] = words;
    if (path === "")
      throw orderByError(orderBy, itemOffset, "expected a field name (an empty item between commas?)");
    if (extra !== undefined || (direction !== undefined && !/^(asc|desc)$/i.test(direction))) {
      const at = itemOffset + item.trim().indexOf(extra ?? direction ?? "");
      throw orderByError(orderBy, at, `expected "desc", "asc", "," or the end after ${JSON.stringify(path)}`);
    }
    let field: ResolvedField;
    try {
      field = resolveField(path.split("."));
    } catch (error) {
      if (error instanceof FieldPathError) throw orderByError(orderBy, itemOffset, error.message);
      throw error;
    }
    if (!orderableTypes.has(field.type)) {
      throw orderByError(
        orderBy,
        itemOffset,
        `${field.path} is a ${field.type}; only scalar fields, enums and timestamps can be sorted on`,
      );
    }
    if (columns.some((c) => c.field.path === field.path)) {
      throw orderByError(orderBy, itemOffset, `${field.path} is listed twice`);
    }
    columns.push({ field, descending: direction?.toLowerCase() === "desc" });
  }
  if (!columns.some((c) => c.field.path === "name")) {
    columns.push({ field: resolveField(["name"]), descending: false });
  }
  return makeSpec(columns);
}

function makeSpec(columns: readonly OrderColumn[]): OrderSpec {
  const getters = columns.map((c) => c.field.get);
  const signs = columns.map((c) => (c.descending ? -1 : 1));
  return {
    columns,
    canonical: columns.map((c) => (c.descending ? `${c.field.path} desc` : c.field.path)).join(","),
    keyOf(run) {
      return getters.map((get) => sortValue(get(run)));
    },
    compare(a, b) {
      for (let i = 0; i < signs.length; i++) {
        const order = compareValues(a[i] ?? null, b[i] ?? null);
        if (order !== 0) return order * signs[i]!;
      }
      return 0;
    },
  };
}

function sortValue(value: unknown): SortValue {
  if (value === ABSENT || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  return null;
}

/** Absent values sort before present ones (so last in a descending column). */
function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a decoded value has the shape of a sort key of this spec (checked on page tokens). */
export function isSortKeyOf(spec: OrderSpec, value: unknown): value is SortKey {
  if (!Array.isArray(value) || value.length !== spec.columns.length) return false;
  return value.every((v, i) => {
    if (v === null) return true;
    const type = spec.columns[i]!.field.type;
    return type === "string" ? typeof v === "string" : typeof v === "number" && Number.isFinite(v);
  });
}

function orderByError(orderBy: string, offset: number, reason: string): ApiError {
  const message = `invalid orderBy at column ${offset + 1}: ${reason} (in ${JSON.stringify(orderBy)})`;
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest("orderBy", message)],
    reason: "INVALID_ORDER_BY",
  });
}
