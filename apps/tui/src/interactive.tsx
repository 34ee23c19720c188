// The interactive UI: Ink and React load only here, so `--output` and errors never pay for them,
// and main imports this module with CI hidden from Ink (see startup/ci-env.ts).
import { render } from "ink";
import type { Session } from "./session/session.js";
import { tuneHeap } from "./startup/runtime.js";
import type { Store } from "./state/store.js";
import { inkRenderOptions } from "./terminal/ink-options.js";
import type { Theme } from "./theme.js";
import { App } from "./views/App.js";

export interface InteractiveUi {
  readonly store: Store;
  readonly session: Session;
  readonly theme: Theme;
  readonly now: () => number;
  readonly source: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Draws the App until it unmounts; `quit` is what the session calls to end it. */
export function showUi(ui: InteractiveUi): { readonly quit: () => void; readonly exited: Promise<unknown> } {
  const instance = render(
    <App store={ui.store} session={ui.session} theme={ui.theme} now={ui.now} source={ui.source} />,
    inkRenderOptions({ stdout: ui.stdout, stdin: ui.stdin, stderr: ui.stderr }),
  );
  // Ink drew the first frame inside render(): from here on the heap grows slowly (see tuneHeap).
  tuneHeap();
  return { quit: () => instance.unmount(), exited: instance.waitUntilExit() };
}
