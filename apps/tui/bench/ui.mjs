// The interactive UI as `jobrun` builds it (same store, session, App and Ink options, from dist),
// on fake terminal streams and a fake server holding `runs`, spinner and refresh timers running.

import { systemClock } from "@jobrun/core";
import { render } from "ink";
import { createElement } from "react";
import { createSession } from "../dist/session/session.js";
import { DEFAULT_REFRESH_SECONDS } from "../dist/source/refresh-policy.js";
import { tuneHeap } from "../dist/startup/runtime.js";
import { initialState } from "../dist/state/state.js";
import { createStore } from "../dist/state/store.js";
import { inkRenderOptions } from "../dist/terminal/ink-options.js";
import { createTheme } from "../dist/theme.js";
import { App } from "../dist/views/App.js";
import { FakeStdin, FakeStdout, fakeService, PARENT, SIZE } from "./support.mjs";

export function startUi(runs) {
  const store = createStore(initialState({ parent: PARENT, size: SIZE }));
  const session = createSession({
    service: fakeService(runs),
    store,
    clock: systemClock,
    clipboard: () => {},
    refreshSeconds: DEFAULT_REFRESH_SECONDS,
    onQuit: () => {},
  });
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const app = render(
    createElement(App, {
      store,
      session,
      theme: createTheme(true),
      now: () => systemClock.now(),
      source: "bench",
      trackResize: false,
    }),
    { ...inkRenderOptions({ stdout, stdin, stderr: stdout }), patchConsole: false },
  );
  // As the binary does once its first frame is drawn (src/interactive.tsx).
  tuneHeap();
  // Every run loaded, as after scrolling to the end; from then on each refresh re-reads them all.
  store.dispatch({ type: "loaded", runs, nextPageToken: "", atMs: systemClock.now(), append: false });
  session.start();
  return {
    store,
    session,
    stdout,
    stdin,
    stop() {
      session.stop();
      app.unmount();
    },
  };
}
