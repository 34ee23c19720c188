import { Box, Text } from "ink";
import { pageBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";
import { HELP_KEYS_WIDTH, helpLines } from "./help-lines.js";

/** The keys and commands, generated from the keymap. */
export function HelpView({ state, theme }: { readonly state: State; readonly theme: Theme }) {
  const height = pageBodyHeight(state);
  const lines = helpLines({ readonly: state.readonly, columns: state.size.columns }).slice(
    state.pageScroll,
    state.pageScroll + height,
  );
  return (
    <Box flexDirection="column" height={height}>
      {lines.map((line, i) => {
        const key = `${state.pageScroll + i}`;
        switch (line.kind) {
          case "section":
            return (
              <Text key={key} bold {...theme.accent("title")}>
                {line.title}
              </Text>
            );
          case "blank":
            return <Text key={key}> </Text>;
          case "entry":
            return (
              <Text key={key} wrap="truncate">
                <Text {...theme.accent("key")}>{`  ${line.keys.padEnd(HELP_KEYS_WIDTH)}`}</Text>
                {line.description}
              </Text>
            );
          default:
            return null;
        }
      })}
    </Box>
  );
}
