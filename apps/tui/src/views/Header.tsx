import { type JobRun, JobRun_State, stateName } from "@jobrun/core";
import { Box, Text } from "ink";
import { useMemo } from "react";
import { clip } from "../format/text.js";
import { withPendingTerminations } from "../state/rows.js";
import { orderByOf } from "../state/sort.js";
import type { State } from "../state/state.js";
import { stateGlyph, type Theme } from "../theme.js";

const countedStates = [
  JobRun_State.IN_PROGRESS,
  JobRun_State.TERMINATING,
  JobRun_State.SUCCEEDED,
  JobRun_State.FAILED,
  JobRun_State.TERMINATED,
] as const;

function countByState(runs: readonly JobRun[]): Map<JobRun_State, number> {
  const counts = new Map<JobRun_State, number>();
  for (const run of runs) counts.set(run.state, (counts.get(run.state) ?? 0) + 1);
  return counts;
}

// What `toLocaleTimeString("en-GB", { hour12: false })` uses, built once: that call builds a new
// formatter each time, which costs more than the rest of the header on every frame.
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  hour12: false,
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** Clock time of day (local), for "updated 14:02:07". */
function timeOfDay(ms: number): string {
  return timeFormat.format(ms);
}

export interface HeaderProps {
  readonly state: State;
  readonly theme: Theme;
  /** What the data comes from: "demo (embedded emulator)" or the endpoint. */
  readonly source: string;
}

/** Two lines: source and scope; counts per state and when the data was last refreshed. */
export function Header({ state, theme, source }: HeaderProps) {
  const { columns } = state.size;
  // Counted over every loaded run, not the text-filtered rows: the header describes the scope.
  const counts = useMemo(
    () => countByState(withPendingTerminations(state.runs, state.terminating)),
    [state.runs, state.terminating],
  );
  const scope = [
    `jobrun · ${source} · ${state.parent}`,
    state.serverFilter === "" ? "" : ` · filter ${state.serverFilter}`,
    state.sort === undefined ? "" : ` · sort ${orderByOf(state.sort)}`,
    state.textFilter === "" ? "" : ` · /${state.textFilter}`,
  ].join("");
  const total = `${state.runs.length}${state.nextPageToken === "" ? "" : "+"} runs`;
  const freshness =
    state.loading === "refresh"
      ? "refreshing…"
      : state.loading === "more"
        ? "loading more…"
        : state.lastRefreshMs === undefined
          ? "not loaded"
          : `updated ${timeOfDay(state.lastRefreshMs)}`;
  return (
    <Box flexDirection="column">
      <Text bold {...theme.accent("title")} wrap="truncate">
        {clip(scope, columns)}
      </Text>
      <Text wrap="truncate">
        <Text>{total}</Text>
        {countedStates.map((s) => {
          const n = counts.get(s) ?? 0;
          if (n === 0) return null;
          return (
            <Text key={s} {...theme.state(s)}>
              {`  ${stateGlyph(s, state.frame)} ${n} ${stateName(s)}`}
            </Text>
          );
        })}
        <Text {...theme.accent("muted")}>{`  · ${freshness}`}</Text>
      </Text>
    </Box>
  );
}
