// Copying through the terminal (OSC 52) works over SSH and inside tmux, where no local clipboard
// tool would reach the user's machine.

/** Puts text on the user's clipboard. */
export type Clipboard = (text: string) => void;

/** The OSC 52 sequence that sets the clipboard to `text`. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, "utf8").toString("base64")}\u0007`;
}

/** A clipboard that writes OSC 52 to a terminal stream; inside tmux the sequence is passed through. */
export function osc52Clipboard(
  stream: { write(chunk: string): unknown },
  env: Readonly<Record<string, string | undefined>>,
): Clipboard {
  const inTmux = env.TMUX !== undefined && env.TMUX !== "";
  return (text) => {
    const sequence = osc52(text);
    // tmux forwards a sequence to the outer terminal only when wrapped in its DCS passthrough.
    stream.write(inTmux ? `\u001bPtmux;${sequence.replaceAll("\u001b", "\u001b\u001b")}\u001b\\` : sequence);
  };
}
