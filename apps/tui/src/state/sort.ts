// Sorting is done by the server (AIP-132 orderBy), not here: pages load as you scroll, so only the
// server knows the order of runs not loaded yet.

/** The JobRun fields the list can be sorted on, by their proto3 JSON names. */
export type SortField = "state" | "jobId" | "phaseId" | "createTime" | "startTime" | "endTime" | "name";

export interface SortOrder {
  readonly field: SortField;
  readonly descending: boolean;
}

interface SortFieldInfo {
  readonly field: SortField;
  /** Words accepted by `:sort` besides the field name. */
  readonly aliases: readonly string[];
  /** The direction of the first press of its sort key: times newest first, the rest ascending. */
  readonly firstDescending: boolean;
}

export const sortFields: readonly SortFieldInfo[] = [
  { field: "state", aliases: [], firstDescending: false },
  { field: "jobId", aliases: ["job"], firstDescending: false },
  { field: "phaseId", aliases: ["phase"], firstDescending: false },
  { field: "createTime", aliases: ["age", "created"], firstDescending: true },
  { field: "startTime", aliases: ["start", "started"], firstDescending: true },
  { field: "endTime", aliases: ["end", "ended"], firstDescending: true },
  { field: "name", aliases: [], firstDescending: false },
];

/** The field a `:sort` word names (case-insensitive, aliases allowed), or undefined. */
export function sortFieldNamed(word: string): SortField | undefined {
  const lower = word.toLowerCase();
  return sortFields.find((f) => f.field.toLowerCase() === lower || f.aliases.includes(lower))?.field;
}

/** The order after pressing the sort key of `field`: a new field starts in its natural direction, the same one reverses. */
export function toggledSort(current: SortOrder | undefined, field: SortField): SortOrder {
  if (current?.field === field) return { field, descending: !current.descending };
  const info = sortFields.find((f) => f.field === field);
  return { field, descending: info?.firstDescending ?? false };
}

/** The AIP-132 orderBy of an order; "" for the server's default. */
export function orderByOf(order: SortOrder | undefined): string {
  if (order === undefined) return "";
  return order.descending ? `${order.field} desc` : order.field;
}

/**
 * The orderBy sent to the server: the order, then newest first among equals (a list sorted by state
 * is otherwise in no useful order within each state).
 */
export function serverOrderBy(order: SortOrder | undefined): string {
  const primary = orderByOf(order);
  if (primary === "" || order?.field === "createTime") return primary;
  return `${primary},createTime desc`;
}
