import { type JobRun, JobRun_State, parseRolloutName, WILDCARD } from "@jobrun/core";
import { Box, Text } from "ink";
import { useMemo } from "react";
import { stateWord } from "../format/run-fields.js";
import { clip } from "../format/text.js";
import { timeOfDay } from "../format/time.js";
import { withPendingTerminations } from "../state/rows.js";
import { orderByOf } from "../state/sort.js";
import type { State } from "../state/state.js";
import { SPINNER_FRAMES, stateGlyph, type Theme } from "../theme.js";

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

export interface HeaderProps {
  readonly state: State;
  readonly theme: Theme;
  /** What the data comes from: "demo (embedded emulator)" or the endpoint. */
  readonly source: string;
}

/** The scope as a breadcrumb: "acme › us-central1 › pipeline web › all releases › all rollouts". */
export function breadcrumbOf(parent: string): string {
  let parts: ReturnType<typeof parseRolloutName>;
  try {
    parts = parseRolloutName(parent, { wildcards: true });
  } catch {
    return parent;
  }
  const level = (value: string, noun: string, plural: string) =>
    value === WILDCARD ? `all ${plural}` : noun === "" ? value : `${noun} ${value}`;
  return [
    parts.project,
    level(parts.location, "", "locations"),
    level(parts.deliveryPipeline, "pipeline", "pipelines"),
    level(parts.release, "release", "releases"),
    level(parts.rollout, "rollout", "rollouts"),
  ].join(" › ");
}

export interface HeaderProps {
  readonly state: State;
  readonly theme: Theme;
  /** What the data comes from: "demo (embedded emulator)" or the endpoint. */
  readonly source: string;
}

/** Two lines: source, scope and read-only; counts per state and what is loading or when it last loaded. */
export function Header({ state, theme, source }: HeaderProps) {
  const { columns } = state.size;
  // Counted over every loaded run, not the text-filtered rows: the header describes the scope.
  const counts = useMemo(
    () => countByState(withPendingTerminations(state.runs, state.terminating)),
    [state.runs, state.terminating],
  );
  const crumbs = useMemo(() => breadcrumbOf(state.parent), [state.parent]);
  const scope = [
    `jobrun · ${source} · ${crumbs}`,
    state.serverFilter === "" ? "" : ` · filter ${state.serverFilter}`,
    state.sort === undefined ? "" : ` · sort ${orderByOf(state.sort)}`,
    state.textFilter === "" ? "" : ` · /${state.textFilter}`,
  ].join("");
  const loaded = `${state.runs.length}${state.nextPageToken === "" ? "" : "+"}`;
  const total = state.textFilter === "" ? `${loaded} runs` : `${state.rows.length} of ${loaded} runs`;
  const spinner = SPINNER_FRAMES[state.frame % SPINNER_FRAMES.length];
  const freshness =
    state.loading === "refresh"
      ? `${spinner} loading…`
      : state.loading === "more"
        ? `${spinner} loading more…`
        : state.loading === "all"
          ? `${spinner} loading every page… ${state.runs.length} runs so far`
          : state.lastRefreshMs === undefined
            ? "not loaded"
            : `updated ${timeOfDay(state.lastRefreshMs)}`;
  // How the list keeps up: changes as they happen, or a refresh on a timer (slower while nothing moves).
  const cadence =
    state.updates === "live"
      ? "live"
      : state.refreshSeconds > 0
        ? `every ${state.refreshSeconds} s`
        : "refresh with r";
  const marker = state.readonly ? "[read-only] " : "";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {marker === "" ? null : <Text {...theme.accent("error")}>{marker}</Text>}
        <Text bold {...theme.accent("title")}>
          {clip(scope, columns - marker.length)}
        </Text>
      </Text>
      <Text wrap="truncate">
        <Text>{total}</Text>
        {countedStates.map((s) => {
          const n = counts.get(s) ?? 0;
          if (n === 0) return null;
          return (
            <Text key={s} {...theme.state(s)}>
              {`  ${stateGlyph(s, state.frame)} ${n} ${stateWord(s)}`}
            </Text>
          );
        })}
        <Text {...theme.accent("muted")}>{`  · ${freshness} · ${cadence}`}</Text>
      </Text>
    </Box>
  );
}
