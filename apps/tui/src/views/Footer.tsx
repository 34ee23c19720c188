import { Text } from "ink";
import { clip } from "../format/text.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

/** The bottom line: the line being typed, else the last message, else the main keys. */
export function Footer({ state, theme }: { readonly state: State; readonly theme: Theme }) {
  const width = state.size.columns;
  if (state.mode === "filter" || state.mode === "command") {
    const prompt = state.mode === "filter" ? "/" : ":";
    return <Text wrap="truncate">{clip(`${prompt}${state.draft}█`, width)}</Text>;
  }
  if (state.message !== undefined) {
    const tone = state.message.tone === "error" ? theme.accent("error") : theme.accent("info");
    return (
      <Text {...tone} wrap="truncate">
        {clip(state.message.text, width)}
      </Text>
    );
  }
  const hints =
    state.view === "list"
      ? ["? help", "↑↓ move", "Enter details", "/ filter", ": command", state.readonly ? "" : "t terminate", "q quit"]
      : ["Esc back", "↑↓ scroll", state.view === "details" && !state.readonly ? "t terminate" : "", "q quit"];
  return (
    <Text {...theme.accent("muted")} wrap="truncate">
      {clip(hints.filter((h) => h !== "").join("  "), width)}
    </Text>
  );
}
