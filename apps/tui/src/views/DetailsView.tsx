import type { JobRun } from "@jobrun/core";
import { Box, Text } from "ink";
import { pageBodyHeight } from "../state/layout.js";
import type { State } from "../state/state.js";
import type { Theme } from "../theme.js";
import { detailLines, LABEL_WIDTH } from "./detail-lines.js";
import { ScrolledPage } from "./ScrolledPage.js";

export interface DetailsViewProps {
  readonly state: State;
  readonly run: JobRun | undefined;
  readonly theme: Theme;
  readonly nowMs: number;
}

/** Every field of the selected run, scrollable. */
export function DetailsView({ state, run, theme, nowMs }: DetailsViewProps) {
  const height = pageBodyHeight(state);
  if (run === undefined) {
    return (
      <Box height={height}>
        <Text {...theme.accent("muted")}>The run is no longer listed. Esc goes back.</Text>
      </Box>
    );
  }
  return (
    <ScrolledPage
      state={state}
      theme={theme}
      lines={detailLines(run, nowMs, state.size.columns)}
      renderItem={(line, key) => (
        <Text key={key} wrap="truncate">
          <Text {...theme.accent("muted")}>{line.label.padEnd(LABEL_WIDTH)}</Text>
          <Text {...(line.tone === "error" ? theme.accent("error") : {})}>{line.value}</Text>
        </Text>
      )}
    />
  );
}
