import { Text } from "ink";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";
import { HELP_KEYS_WIDTH, helpLines } from "./help-lines.js";
import { ScrolledPage } from "./ScrolledPage.js";

/** The keys and commands, generated from the keymap. */
export function HelpView({ state, theme }: { readonly state: State; readonly theme: Theme }) {
  return (
    <ScrolledPage
      state={state}
      theme={theme}
      lines={helpLines({ readonly: state.readonly, columns: state.size.columns })}
      renderItem={(line, key) => (
        <Text key={key} wrap="truncate">
          <Text {...theme.accent("key")}>{`  ${line.keys.padEnd(HELP_KEYS_WIDTH)}`}</Text>
          {line.description}
        </Text>
      )}
    />
  );
}
