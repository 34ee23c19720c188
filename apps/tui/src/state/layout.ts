// How many lines each part of the screen takes. The frame is one line shorter than the terminal:
// Ink clears the whole terminal before every frame that fills it, which flickers.
import type { TerminalSize } from "./state.js";

/** Header lines above the list's column titles: title/scope, then counts and refresh time. */
export const HEADER_LINES = 2;
/** The status or command line at the bottom: two lines, so an error message and its fix fit. */
export const FOOTER_LINES = 2;

/** Lines of the whole frame. */
export function frameHeight(size: TerminalSize): number {
  return Math.max(1, size.rows - 1);
}

/** Rows of runs the list shows (below the header and the column titles). */
export function listBodyHeight(size: TerminalSize): number {
  return Math.max(1, frameHeight(size) - HEADER_LINES - 1 - FOOTER_LINES);
}

/** Lines the details and help views show. */
export function pageBodyHeight(size: TerminalSize): number {
  return Math.max(1, frameHeight(size) - HEADER_LINES - FOOTER_LINES);
}
