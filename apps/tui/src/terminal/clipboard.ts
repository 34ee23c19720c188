// Copying through the terminal (OSC 52) works over SSH, where no local clipboard tool would reach
// the user's machine. Inside tmux that sequence is dropped unless tmux is told to pass it through
// (off by default since tmux 3.3), so there the text goes into tmux's own paste buffer, which tmux
// hands on to the terminal's clipboard itself when its set-clipboard option allows.
import { spawnSync } from "node:child_process";

/** Where copied text went, in words for the status line. */
export interface CopyResult {
  /** "Copied" when the text is known to be there; "Sent" when it was only handed to the terminal. */
  readonly verb: "Copied" | "Sent";
  readonly where: string;
}

/** Puts text on the user's clipboard and says where it went. */
export type Clipboard = (text: string) => CopyResult;

/** The OSC 52 sequence that sets the clipboard to `text`. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, "utf8").toString("base64")}\u0007`;
}

/** Runs `tmux load-buffer -w -` with `text` on its stdin; the error's text when it fails. */
export type LoadTmuxBuffer = (text: string) => string | undefined;

const loadTmuxBuffer: LoadTmuxBuffer = (text) => {
  const result = spawnSync("tmux", ["load-buffer", "-w", "-"], {
    input: text,
    encoding: "utf8",
    timeout: 2000,
  });
  if (result.error !== undefined) return result.error.message;
  return result.status === 0 ? undefined : result.stderr.trim() || `exit code ${result.status}`;
};

/** The clipboard for a terminal: tmux's buffer inside tmux, else OSC 52 to the terminal. */
export function terminalClipboard(
  stream: { write(chunk: string): unknown },
  env: Readonly<Record<string, string | undefined>>,
  loadBuffer: LoadTmuxBuffer = loadTmuxBuffer,
): Clipboard {
  const inTmux = env.TMUX !== undefined && env.TMUX !== "";
  return (text) => {
    if (inTmux) {
      const failure = loadBuffer(text);
      if (failure === undefined) return { verb: "Copied", where: "tmux's paste buffer (prefix ] pastes it)" };
      stream.write(osc52(text));
      return {
        verb: "Sent",
        where: `the terminal as OSC 52, which tmux may drop (tmux load-buffer failed: ${failure})`,
      };
    }
    stream.write(osc52(text));
    return { verb: "Sent", where: "the terminal's clipboard (OSC 52)" };
  };
}
