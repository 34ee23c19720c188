// Which list columns fit a terminal width, and how wide each is. Columns are dropped least important
// first, so 80 columns still show state, pipeline, rollout, job and age; then the columns whose text
// is cut get the spare width (most important first), up to their widest text among the loaded runs,
// and the last column takes what is left.
import type { JobRun } from "@jobrun/core";
import type { SortField, SortOrder } from "../state/sort.js";
import {
  ageOf,
  durationOf,
  kindUnlessJob,
  pipelineOf,
  releaseOf,
  shortFailure,
  shortRollout,
  stateWord,
} from "./run-fields.js";

export type ColumnId =
  | "state"
  | "pipeline"
  | "release"
  | "rollout"
  | "phase"
  | "job"
  | "kind"
  | "age"
  | "duration"
  | "failure";

export interface Column {
  readonly id: ColumnId;
  readonly title: string;
  /** Width in columns when space is short. */
  readonly width: number;
  /** Lower is more important; the highest goes first when space runs out. */
  readonly priority: number;
  /** Whether the column widens to its widest text when there is room (text that does not change with time). */
  readonly grows: boolean;
  /** The server-side sort field the column shows, for the sort indicator. */
  readonly sortField?: SortField;
  /** The cell text (the state column adds its glyph separately). */
  readonly text: (run: JobRun, nowMs: number) => string;
}

/** The glyph and a space precede the state word. */
export const STATE_GLYPH_WIDTH = 2;
/** Columns are separated by this many spaces. */
export const COLUMN_GAP = 2;
/** The selection marker ("›" or a space) starts every row. */
export const MARKER_WIDTH = 2;

/** In display order: the run's place (pipeline › release › rollout › phase › job), then time and failure. */
export const columns: readonly Column[] = [
  {
    id: "state",
    title: "STATE",
    width: 13,
    priority: 0,
    grows: false,
    sortField: "state",
    text: (run) => stateWord(run.state),
  },
  { id: "pipeline", title: "PIPELINE", width: 12, priority: 1, grows: true, text: pipelineOf },
  { id: "release", title: "RELEASE", width: 12, priority: 9, grows: true, text: releaseOf },
  { id: "rollout", title: "ROLLOUT", width: 20, priority: 2, grows: true, text: shortRollout },
  {
    id: "phase",
    title: "PHASE",
    width: 10,
    priority: 6,
    grows: true,
    sortField: "phaseId",
    text: (run) => run.phaseId,
  },
  {
    id: "job",
    title: "JOB",
    width: 12,
    priority: 3,
    grows: true,
    sortField: "jobId",
    text: (run) => run.jobId,
  },
  { id: "kind", title: "KIND", width: 13, priority: 7, grows: false, text: kindUnlessJob },
  {
    id: "age",
    title: "AGE",
    width: 7,
    priority: 4,
    grows: false,
    sortField: "createTime",
    text: (run, now) => ageOf(run, now),
  },
  {
    id: "duration",
    title: "DURATION",
    width: 8,
    priority: 8,
    grows: false,
    text: (run, now) => durationOf(run, now),
  },
  { id: "failure", title: "FAILURE", width: 22, priority: 5, grows: true, text: shortFailure },
];

export interface LaidOutColumn extends Column {
  readonly shownWidth: number;
}

/** The widest text of each growing column among `runs` (what widening aims for). */
export function textWidths(runs: readonly JobRun[]): ReadonlyMap<ColumnId, number> {
  const widths = new Map<ColumnId, number>();
  const growing = columns.filter((c) => c.grows);
  for (const run of runs) {
    for (const column of growing) {
      const length = column.text(run, 0).length;
      if (length > (widths.get(column.id) ?? 0)) widths.set(column.id, length);
    }
  }
  return widths;
}

function widthOf(list: readonly { readonly id: ColumnId; readonly width: number }[]): number {
  return (
    list.reduce((sum, c) => sum + c.width + (c.id === "state" ? STATE_GLYPH_WIDTH : 0), 0) +
    COLUMN_GAP * Math.max(0, list.length - 1)
  );
}

/** The columns that fit `totalWidth`, in display order, widened by `texts` (see textWidths). */
export function layoutColumns(
  totalWidth: number,
  texts: ReadonlyMap<ColumnId, number> = new Map(),
): readonly LaidOutColumn[] {
  const available = totalWidth - MARKER_WIDTH;
  // Most important first; a column that does not fit leaves room for a narrower, less important one.
  const chosen: Column[] = [];
  for (const column of [...columns].sort((a, b) => a.priority - b.priority)) {
    if (chosen.length === 0 || widthOf([...chosen, column]) <= available) chosen.push(column);
  }
  const shown = columns.filter((c) => chosen.includes(c));
  // The spare width goes to the cut columns, most important first.
  let spare = Math.max(0, available - widthOf(shown));
  const extra = new Map<ColumnId, number>();
  for (const c of chosen) {
    const want = c.grows ? Math.max(0, (texts.get(c.id) ?? 0) - c.width) : 0;
    extra.set(c.id, Math.min(want, spare));
    spare -= extra.get(c.id) ?? 0;
  }
  const laidOut = shown.map((c) => ({ ...c, shownWidth: c.width + (extra.get(c.id) ?? 0) }));
  const last = laidOut.at(-1);
  if (last !== undefined) laidOut[laidOut.length - 1] = { ...last, shownWidth: last.shownWidth + spare };
  return laidOut;
}

/** The server's order when none is asked for: newest first. */
const DEFAULT_ORDER: SortOrder = { field: "createTime", descending: true };

/** A column's title with the sort indicator when the list is sorted by its field: "AGE↓". */
export function columnTitle(column: Column, sort: SortOrder | undefined): string {
  const order = sort ?? DEFAULT_ORDER;
  if (column.sortField !== order.field) return column.title;
  return `${column.title}${order.descending ? "↓" : "↑"}`;
}
