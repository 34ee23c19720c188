import type { JobRun } from "@jobrun/core";
import { Box, Text } from "ink";
import { memo, useMemo } from "react";
import {
  COLUMN_GAP,
  columnTitle,
  type LaidOutColumn,
  layoutColumns,
  STATE_GLYPH_WIDTH,
  textWidths,
} from "../format/columns.js";
import { cell } from "../format/text.js";
import { listBodyHeight } from "../state/layout.js";
import type { PendingTermination, State } from "../state/state.js";
import { stateGlyph, type Theme } from "../theme.js";

const gap = " ".repeat(COLUMN_GAP);

/** What a pending terminate adds to the state word: "…" while it is sent, "?" when its outcome is unknown. */
const pendingMarks: Readonly<Record<PendingTermination, string>> = {
  sending: "…",
  accepted: "",
  unknown: "?",
};

interface RowProps {
  readonly run: JobRun;
  readonly columns: readonly LaidOutColumn[];
  readonly selected: boolean;
  readonly pending: PendingTermination | undefined;
  readonly theme: Theme;
  readonly frame: number;
  readonly nowMs: number;
}

/**
 * One run on one line: the marker and the coloured state cell, then the rest as plain padded text.
 * They are two Texts because Ink measures every Text on every frame, and a line of printable ASCII
 * is measured at once while one with a glyph (›, ✓, a spinner) goes through grapheme segmentation:
 * so the glyphs stay in the short first part. An unselected row drops its trailing blanks (Ink
 * trims them anyway) so Ink has fewer cells to parse; the selected one keeps them for its bar.
 */
const Row = memo(function Row({ run, columns, selected, pending, theme, frame, nowMs }: RowProps) {
  const [first, ...rest] = columns;
  const stateWidth = first === undefined ? 0 : first.shownWidth;
  const stateText = `${first?.text(run, nowMs) ?? ""}${pending === undefined ? "" : pendingMarks[pending]}`;
  const restText = rest.map((c) => gap + cell(c.text(run, nowMs), c.shownWidth)).join("");
  return (
    <Box>
      <Text inverse={selected} wrap="truncate">
        {selected ? "› " : "  "}
        <Text {...theme.state(run.state)} bold={selected}>
          {`${stateGlyph(run.state, frame)} ${cell(stateText, stateWidth)}`}
        </Text>
      </Text>
      <Text inverse={selected} wrap="truncate">
        {selected ? restText : restText.trimEnd()}
      </Text>
    </Box>
  );
});

export interface ListViewProps {
  readonly state: State;
  readonly theme: Theme;
  readonly nowMs: number;
}

/** The column titles and the visible slice of rows: never more rows than fit the screen. */
export function ListView({ state, theme, nowMs }: ListViewProps) {
  // Measured once per load, not per frame: widening follows the loaded runs' texts.
  const texts = useMemo(() => textWidths(state.runs), [state.runs]);
  const columns = useMemo(() => layoutColumns(state.size.columns, texts), [state.size.columns, texts]);
  const height = listBodyHeight(state);
  const visible = state.rows.slice(state.scrollTop, state.scrollTop + height);
  const titles = columns
    .map((c, i) => cell(columnTitle(c, state.sort), c.shownWidth + (i === 0 ? STATE_GLYPH_WIDTH : 0)))
    .join(gap)
    .trimEnd();
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold wrap="truncate">{`  ${titles}`}</Text>
      {visible.length === 0 ? (
        <Text {...theme.accent("muted")}>
          {state.loading !== "none"
            ? "  Loading job runs…"
            : state.textFilter !== ""
              ? `  No loaded run matches "${state.textFilter}" (Esc in the filter line clears it).`
              : "  No job runs in this scope."}
        </Text>
      ) : (
        visible.map((run, i) => (
          <Row
            key={run.name}
            run={run}
            columns={columns}
            selected={state.scrollTop + i === state.cursor}
            pending={state.terminating.get(run.name)}
            theme={theme}
            frame={state.frame}
            nowMs={nowMs}
          />
        ))
      )}
    </Box>
  );
}
