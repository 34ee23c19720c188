// The alternate screen keeps the user's scrollback intact. Whatever ends the process (quit, a
// signal, a crash), the terminal must get its main screen and cursor back.

const ENTER_ALT_SCREEN = "\u001b[?1049h\u001b[H";
const LEAVE_ALT_SCREEN = "\u001b[?1049l";
const SHOW_CURSOR = "\u001b[?25h";

interface Writable {
  write(chunk: string): unknown;
}

/** Exit codes of the signals we restore the terminal on (128 + signal number). */
const signalExitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface AlternateScreen {
  /** Leaves the alternate screen (idempotent). */
  restore(): void;
}

/**
 * Enters the alternate screen and restores the terminal on exit and on SIGINT/SIGTERM/SIGHUP
 * (then exits with 128 + the signal's number, as shells expect).
 */
export function enterAlternateScreen(stdout: Writable, proc: NodeJS.Process = process): AlternateScreen {
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    proc.off("exit", restore);
    for (const [signal, handler] of handlers) proc.off(signal, handler);
  };
  const handlers = Object.entries(signalExitCodes).map(([signal, code]) => {
    const handler = () => {
      restore();
      proc.exit(code);
    };
    proc.on(signal, handler);
    return [signal, handler] as const;
  });
  proc.on("exit", restore);
  stdout.write(ENTER_ALT_SCREEN);
  return { restore };
}
