// Which list columns fit a terminal width. Columns are dropped least-important first, so a narrow
// terminal still shows state, kind and job id; the last column shown takes the remaining width.
import { type JobRun, stateName } from "@jobrun/core";
import { ageOf, durationOf, shortFailure, shortKind, shortRollout } from "./run-fields.js";

export type ColumnId = "state" | "kind" | "job" | "phase" | "rollout" | "age" | "duration" | "failure";

export interface Column {
  readonly id: ColumnId;
  readonly title: string;
  /** Width in columns (the last shown column may get more). */
  readonly width: number;
  /** Lower is more important; the highest goes first when space runs out. */
  readonly priority: number;
  /** The cell text (the state column adds its glyph separately). */
  readonly text: (run: JobRun, nowMs: number) => string;
}

/** The glyph and a space precede the state word. */
export const STATE_GLYPH_WIDTH = 2;
/** Columns are separated by this many spaces. */
export const COLUMN_GAP = 2;
/** The selection marker ("›" or a space) starts every row. */
export const MARKER_WIDTH = 2;

export const columns: readonly Column[] = [
  { id: "state", title: "STATE", width: 13, priority: 0, text: (run) => stateName(run.state) },
  { id: "kind", title: "KIND", width: 13, priority: 1, text: (run) => shortKind(run) },
  { id: "job", title: "JOB", width: 14, priority: 2, text: (run) => run.jobId },
  { id: "age", title: "AGE", width: 8, priority: 3, text: (run, now) => ageOf(run, now) },
  { id: "duration", title: "DURATION", width: 8, priority: 4, text: (run, now) => durationOf(run, now) },
  { id: "failure", title: "FAILURE", width: 22, priority: 5, text: (run) => shortFailure(run) },
  { id: "phase", title: "PHASE", width: 10, priority: 6, text: (run) => run.phaseId },
  { id: "rollout", title: "ROLLOUT", width: 24, priority: 7, text: (run) => shortRollout(run) },
];

/** The display order of columns (priority decides only what is dropped). */
const displayOrder: readonly ColumnId[] = [
  "state",
  "kind",
  "job",
  "phase",
  "rollout",
  "age",
  "duration",
  "failure",
];

export interface LaidOutColumn extends Column {
  readonly shownWidth: number;
}

/** The columns that fit `totalWidth`, in display order, the last one widened to fill the line. */
export function layoutColumns(totalWidth: number): readonly LaidOutColumn[] {
  const available = totalWidth - MARKER_WIDTH;
  const chosen = [...columns].sort((a, b) => a.priority - b.priority);
  const widthOf = (list: readonly Column[]) =>
    list.reduce((sum, c) => sum + c.width + (c.id === "state" ? STATE_GLYPH_WIDTH : 0), 0) +
    COLUMN_GAP * Math.max(0, list.length - 1);
  while (chosen.length > 1 && widthOf(chosen) > available) chosen.pop();
  const ordered = displayOrder
    .map((id) => chosen.find((c) => c.id === id))
    .filter((c): c is Column => c !== undefined);
  const spare = Math.max(0, available - widthOf(ordered));
  return ordered.map((c, i) => ({ ...c, shownWidth: c.width + (i === ordered.length - 1 ? spare : 0) }));
}
