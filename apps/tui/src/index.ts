// @jobrun/tui: the `jobrun` terminal UI. The binary is the product; these exports let other tools
// embed the UI or drive it in tests. Explicit exports only.

export { type Command, type CommandResult, parseCommand } from "./commands.js";
export { ExitCode, explainError } from "./errors.js";
export {
  type Binding,
  bindingFor,
  hintsFor,
  type KeyContext,
  type KeyHint,
  keyLabel,
  keymap,
} from "./keymap.js";
export { type MainIo, main } from "./main.js";
export { type Options, type ParsedCommandLine, parseCommandLine } from "./options/parse-options.js";
export { createSession, type Session, type SessionOptions } from "./session/session.js";
export type { UserActions } from "./session/user-actions.js";
export { type Backend, demoBackend, openBackend } from "./source/backend.js";
export type { Action } from "./state/actions.js";
export { reduce } from "./state/reducer.js";
export type { SortField, SortOrder } from "./state/sort.js";
export { initialState, type State, type TerminalSize } from "./state/state.js";
export { createStore, type Store } from "./state/store.js";
export { type Browser, type OpenResult, systemBrowser } from "./terminal/browser.js";
export { type Clipboard, type CopyResult, osc52, terminalClipboard } from "./terminal/clipboard.js";
export { createTheme, type Theme } from "./theme.js";
export { App, type AppProps } from "./views/App.js";
