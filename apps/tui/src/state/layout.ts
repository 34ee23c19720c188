// How the screen's lines are shared: header, body and footer. Views and the reducer use the same
// numbers, so the cursor is never scrolled off-screen.
import type { State, TerminalSize } from "./state.js";

/** The header: title and scope, then counts and refresh time. */
export const HEADER_LINES = 2;

/** What decides the footer's height. */
export type FooterState = Pick<State, "size" | "mode" | "message">;

/**
 * Lines of the footer: one for the keys, two while a line is typed (the line and its keys) or a
 * message is shown (an error and its fix fit).
 */
export function footerLines(state: Pick<State, "mode" | "message">): number {
  return state.mode === "filter" || state.mode === "command" || state.message !== undefined ? 2 : 1;
}

/** Lines of the whole frame: one short of the terminal, or Ink would redraw it whole every time. */
export function frameHeight(size: TerminalSize): number {
  return Math.max(1, size.rows - 1);
}

/** Rows of runs the list shows (below the header and the column titles). */
export function listBodyHeight(state: FooterState): number {
  return Math.max(1, frameHeight(state.size) - HEADER_LINES - 1 - footerLines(state));
}

/** Lines the details and help views show. */
export function pageBodyHeight(state: FooterState): number {
  return Math.max(1, frameHeight(state.size) - HEADER_LINES - footerLines(state));
}
