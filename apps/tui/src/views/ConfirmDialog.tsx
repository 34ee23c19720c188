import { type JobRun, jobKindLabel, jobKindOf, stateName } from "@jobrun/core";
import { Box, Text } from "ink";
import { listBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

function borderOf(theme: Theme): { borderColor?: string } {
  const { color } = theme.accent("error");
  return color === undefined ? {} : { borderColor: color };
}

/** Asks before terminating. No is the default: only `y` terminates. */
export function ConfirmDialog({
  state,
  run,
  theme,
}: {
  readonly state: State;
  readonly run: JobRun | undefined;
  readonly theme: Theme;
}) {
  const name = state.confirmName ?? "";
  return (
    <Box flexDirection="column" height={listBodyHeight(state.size) + 1}>
      <Box flexDirection="column" borderStyle="round" {...borderOf(theme)} paddingX={1}>
        <Text bold>Terminate this job run?</Text>
        <Text wrap="truncate-middle">{`Name   ${name}`}</Text>
        <Text>{`Kind   ${run === undefined ? "?" : jobKindLabel(jobKindOf(run))}`}</Text>
        <Text>{`State  ${run === undefined ? "?" : stateName(run.state)}`}</Text>
        <Text> </Text>
        <Text>
          <Text {...theme.accent("key")}>y</Text> yes, terminate ·{" "}
          <Text {...theme.accent("key")} bold>
            N
          </Text>{" "}
          no (default; Enter or Esc)
        </Text>
      </Box>
    </Box>
  );
}
