import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { clip } from "../format/text.js";
import { hintsFor, type KeyContext, keyContextOf } from "../keymap.js";
import { footerLines } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";

/** The keymap's hints of a context on one line: "j/k move  ? help  Enter details …". */
function hintText(context: KeyContext, readonly: boolean, separator: string): string {
  return hintsFor(context, { readonly })
    .map((hint) => `${hint.keys} ${hint.label}`)
    .join(separator);
}

/**
 * The bottom lines: the line being typed and its keys, else the last message (wrapped), else the
 * view's keys. Under the terminate dialog, which shows its own keys, only a message.
 */
export function Footer({ state, theme }: { readonly state: State; readonly theme: Theme }) {
  const width = state.size.columns;
  let content: ReactNode = null;
  if (state.mode === "filter" || state.mode === "command") {
    const prompt = state.mode === "filter" ? "/" : ":";
    content = (
      <>
        <Text wrap="truncate">{clip(`${prompt}${state.draft}█`, width)}</Text>
        <Text {...theme.accent("muted")} wrap="truncate">
          {clip(hintText(keyContextOf(state), state.readonly, " · "), width)}
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
  } else if (state.mode !== "confirm") {
    content = (
      <Text {...theme.accent("muted")} wrap="truncate">
        {clip(hintText(keyContextOf(state), state.readonly, "  "), width)}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" height={footerLines(state)} overflowY="hidden">
      {content}
    </Box>
  );
}
