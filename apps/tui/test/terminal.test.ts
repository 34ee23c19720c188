import { describe, expect, it } from "vitest";
import { systemBrowser } from "../src/terminal/browser.js";
import { osc52, terminalClipboard } from "../src/terminal/clipboard.js";

function sink() {
  const written: string[] = [];
  return { written, write: (chunk: string) => written.push(chunk) };
}

describe("copying", () => {
  it("inside tmux, puts the text in tmux's paste buffer and says so (no OSC 52 that tmux would drop)", () => {
    const stream = sink();
    const loaded: string[] = [];
    const copy = terminalClipboard(stream, { TMUX: "/tmp/tmux-0/default,1,0" }, (text) => {
      loaded.push(text);
      return undefined;
    });
    expect(copy("projects/p/…")).toEqual({
      verb: "Copied",
      where: "tmux's paste buffer (prefix ] pastes it)",
    });
    expect(loaded).toEqual(["projects/p/…"]);
    expect(stream.written).toEqual([]);
  });

  it("inside tmux, when tmux refuses, sends OSC 52 and says it may be dropped", () => {
    const stream = sink();
    const copy = terminalClipboard(stream, { TMUX: "x" }, () => "no server running");
    const result = copy("text");
    expect(result.verb).toBe("Sent");
    expect(result.where).toContain("tmux load-buffer failed: no server running");
    expect(stream.written).toEqual([osc52("text")]);
  });

  it("outside tmux, sends OSC 52 and claims no more than that", () => {
    const stream = sink();
    expect(terminalClipboard(stream, {})("text")).toEqual({
      verb: "Sent",
      where: "the terminal's clipboard (OSC 52)",
    });
    expect(stream.written).toEqual([osc52("text")]);
  });
});

describe("opening in a browser", () => {
  it("does not try over SSH or without a display", async () => {
    expect(
      await systemBrowser({ SSH_CONNECTION: "1.2.3.4 5 6.7.8.9 22", DISPLAY: ":0" }, "linux")("https://x"),
    ).toEqual({
      opened: false,
      why: "this is an SSH session",
    });
    expect(await systemBrowser({}, "linux")("https://x")).toEqual({
      opened: false,
      why: "there is no display",
    });
  });

  it("reports an opener that is not installed", async () => {
    const result = await systemBrowser({ DISPLAY: ":0", PATH: "/nonexistent" }, "linux")("https://x");
    expect(result.opened).toBe(false);
  });
});
