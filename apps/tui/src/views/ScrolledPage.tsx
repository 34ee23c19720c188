import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { pageBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";
import type { PageLine } from "./page-line.js";

export interface ScrolledPageProps<Item extends { readonly kind: string }> {
  readonly state: State;
  readonly theme: Theme;
  /** Every line of the page; the view shows the window that `state.pageScroll` points at. */
  readonly lines: readonly PageLine<Item>[];
  /** Draws the page's own kind of line (a field, a key binding). */
  readonly renderItem: (item: Item, key: string) => ReactNode;
}

/**
 * A scrollable full-screen page (details, help): the window of its lines that fits the screen,
 * section titles and blank lines drawn alike on every page.
 */
export function ScrolledPage<Item extends { readonly kind: string }>({
  state,
  theme,
  lines,
  renderItem,
}: ScrolledPageProps<Item>) {
  const height = pageBodyHeight(state);
  const visible = lines.slice(state.pageScroll, state.pageScroll + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, i) => {
        const key = `${state.pageScroll + i}`;
        if (isSection(line)) {
          return (
            <Text key={key} bold {...theme.accent("title")} wrap="truncate">
              {line.title}
            </Text>
          );
        }
        if (line.kind === "blank") return <Text key={key}> </Text>;
        return renderItem(line as Item, key);
      })}
    </Box>
  );
}

function isSection(line: { readonly kind: string }): line is { kind: "section"; title: string } {
  return line.kind === "section";
}
