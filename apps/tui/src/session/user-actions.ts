// What a key can do in a session: the actions the keymap binds and the session carries out. Its
// own module, so the keymap (and the help built from it) names the actions without importing the
// code that performs them, which itself shows the help.
import type { SortField } from "../state/sort.js";

/** The handlers the keymap's bindings call. */
export interface UserActions {
  /** Moves the list's cursor by rows; scrolls the details or help page by lines. */
  move(by: number): void;
  /** First or last row (page top or bottom); at the last loaded row, offers to load every page. */
  moveTo(where: "first" | "last"): void;
  movePage(direction: 1 | -1): void;
  openDetails(): void;
  showHelp(): void;
  back(): void;
  /** Opens the filter (`/`) or command (`:`) line. */
  startLine(mode: "filter" | "command"): void;
  /** Sorts on the server by `field`; pressing again reverses. */
  sortBy(field: SortField): void;
  refresh(): void;
  copyName(): void;
  copyJson(): void;
  /** Opens the run's rollout in the Console (copies the URL where no browser can open). */
  openRollout(): void;
  /** Opens the log of the run's Cloud Build (copies the URL where no browser can open). */
  openBuildLog(): void;
  /** Opens the terminate dialog for the selected run (or says why not). */
  askTerminate(): void;
  confirmTerminate(): void;
  cancelTerminate(): void;
  /** Says that --readonly turned a key off (rather than doing nothing visible). */
  refuseReadonly(): void;
  quit(): void;
  /** Text lines: Enter, Esc, Backspace, ctrl-u and typed text. */
  submitLine(): void;
  cancelLine(): void;
  deleteLastCharacter(): void;
  clearLine(): void;
  typeText(text: string): void;
}
