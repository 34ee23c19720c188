// How `jobrun` asks Ink to draw, shared with the bench so it measures what ships.
import type { RenderOptions } from "ink";

/**
 * Frames per second Ink may draw at most. Ink draws at once when it has been idle for a frame
 * time, else at the end of it; a key pressed just after a spinner frame waits for that end. At
 * 120 that wait is at most ~8 ms; frames still come only on changes (one per store update).
 */
export const MAX_FPS = 120;

/** Ink's render options for the interactive UI (streams are the caller's). */
export function inkRenderOptions(streams: Pick<RenderOptions, "stdout" | "stdin" | "stderr">): RenderOptions {
  return {
    ...streams,
    exitOnCtrlC: false,
    patchConsole: true,
    // Ink wraps each frame in synchronized-output sequences on a TTY, so the terminal swaps whole
    // frames (no flicker). Ink 6.8's incremental mode leaves stale lines on the alternate screen,
    // so it stays off.
    maxFps: MAX_FPS,
  };
}
