import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { clip } from "../format/text.js";
import { FOOTER_LINES } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

/** The bottom lines: the line being typed, else the last message (wrapped), else the main keys. */
export function Footer({ state, theme }: { readonly state: State; readonly theme: Theme }) {
  const width = state.size.columns;
  let content: ReactNode;
  if (state.mode === "filter" || state.mode === "command") {
    const prompt = state.mode === "filter" ? "/" : ":";
    const hint =
      state.mode === "filter"
        ? "Enter keeps the filter · Esc clears it"
        : "Enter runs the command · Esc cancels";
    content = (
      <>
        <Text wrap="truncate">{clip(`${prompt}${state.draft}█`, width)}</Text>
        <Text {...theme.accent("muted")} wrap="truncate">
          {hint}
        </Text>
      </>
    );
  } else if (state.message !== undefined) {
    const tone = state.message.tone === "error" ? theme.accent("error") : theme.accent("info");
    content = (
      <Text {...tone} wrap="wrap">
        {state.message.text}
      </Text>
    );
  } else {
    const hints =
      state.view === "list"
        ? [
            "? help",
            "↑↓ move",
            "Enter details",
            "/ filter",
            ": command",
            state.readonly ? "" : "t terminate",
            "q quit",
          ]
        : [
            "Esc back",
            "↑↓ scroll",
            state.view === "details" && !state.readonly ? "t terminate" : "",
            "q quit",
          ];
    content = (
      <Text {...theme.accent("muted")} wrap="truncate">
        {clip(hints.filter((h) => h !== "").join("  "), width)}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" height={FOOTER_LINES} overflow="hidden">
      {content}
    </Box>
  );
}
