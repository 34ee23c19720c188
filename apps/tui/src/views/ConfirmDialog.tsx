import { type JobRun, jobKindLabel, jobKindOf } from "@jobrun/core";
import { Box, Text } from "ink";
import { namePartsOf } from "../format/name-parts.js";
import { stateWord } from "../format/run-fields.js";
import { hintsFor } from "../keymap.js";
import { listBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

function borderOf(theme: Theme): { borderColor?: string } {
  const { color } = theme.accent("error");
  return color === undefined ? {} : { borderColor: color };
}

/** Which pipeline, release and rollout a run belongs to: the name alone is cut on a narrow screen. */
function whereOf(name: string): string {
  const parts = namePartsOf(name);
  if (parts === undefined) return "?";
  return `pipeline ${parts.deliveryPipeline} › release ${parts.release} › rollout ${parts.rollout} (${parts.location})`;
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
    <Box flexDirection="column" height={listBodyHeight(state) + 1}>
      <Box flexDirection="column" borderStyle="round" {...borderOf(theme)} paddingX={1}>
        <Text bold>Terminate this job run?</Text>
        <Text wrap="truncate-middle">{`Name   ${name}`}</Text>
        <Text wrap="wrap">{`Where  ${whereOf(name)}`}</Text>
        <Text wrap="wrap">{`Job    ${run === undefined ? "?" : `${run.jobId} in phase ${run.phaseId}`}`}</Text>
        <Text>{`Kind   ${run === undefined ? "?" : jobKindLabel(jobKindOf(run))}`}</Text>
        <Text>{`State  ${run === undefined ? "?" : stateWord(run.state)}`}</Text>
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
