import { type JobRun, jobKindLabel, jobKindOf, stateName } from "@jobrun/core";
import { Box, Text } from "ink";
import { hintsFor } from "../keymap.js";
import { listBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

function borderOf(theme: Theme): { borderColor?: string } {
  const { color } = theme.accent("error");
  return color === undefined ? {} : { borderColor: color };
}

/** Asks before terminating. No is the default: only `y` terminates (the keymap says so). */
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
          {hintsFor("confirm", { readonly: state.readonly, allKeys: true }).map((hint, i) => (
            <Text key={hint.keys}>
              {i === 0 ? "" : " · "}
              <Text {...theme.accent("key")}>{hint.keys}</Text> {hint.label}
            </Text>
          ))}
        </Text>
      </Box>
    </Box>
  );
}
