import { Box, useInput, useStdout } from "ink";
import { useEffect, useSyncExternalStore } from "react";
import type { Session } from "../session/session.js";
import { frameHeight } from "../state/layout.js";
import { selectedRun } from "../state/reducer.js";
import type { Store } from "../state/store.js";
import type { Theme } from "../theme.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { DetailsView } from "./DetailsView.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { HelpView } from "./HelpView.js";
import { ListView } from "./ListView.js";

export interface AppProps {
  readonly store: Store;
  readonly session: Session;
  readonly theme: Theme;
  /** The time used for ages and durations. */
  readonly now: () => number;
  /** Shown in the header: where the data comes from. */
  readonly source: string;
  /** Follow the terminal's size (off in tests, which set it in the state). */
  readonly trackResize?: boolean;
}

/** The whole screen. One store subscription: one render per change, throttled by Ink. */
export function App({ store, session, theme, now, source, trackResize = true }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { stdout } = useStdout();
  useInput((input, key) => session.handleKey(input, key));
  useEffect(() => {
    if (!trackResize) return;
    const onResize = () => {
      if (stdout.columns > 0 && stdout.rows > 0) {
        store.dispatch({ type: "resize", size: { columns: stdout.columns, rows: stdout.rows } });
      }
    };
    onResize();
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout, store, trackResize]);
  const nowMs = now();
  const run = selectedRun(state);
  const body =
    state.mode === "confirm" ? (
      <ConfirmDialog
        state={state}
        run={state.runs.find((r) => r.name === state.confirmName) ?? run}
        theme={theme}
      />
    ) : state.view === "details" ? (
      <DetailsView state={state} run={run} theme={theme} nowMs={nowMs} />
    ) : state.view === "help" ? (
      <HelpView state={state} theme={theme} />
    ) : (
      <ListView state={state} theme={theme} nowMs={nowMs} />
    );
  return (
    <Box flexDirection="column" height={frameHeight(state.size)} width={state.size.columns}>
      <Header state={state} theme={theme} source={source} />
      {body}
      <Footer state={state} theme={theme} />
    </Box>
  );
}
