// The binary's bundle changes three lines of Ink's text output (scripts/styled-chars-fast-path.mjs):
// the cells of every line must stay equal to the original's (now sharing one styles array per
// run), and their text byte for byte what the original function makes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { styledCharsFastPath } from "../scripts/styled-chars-fast-path.mjs";
import { bundleAnsiTokenize } from "./support/bundle-as-ink.js";

interface StyledChar {
  readonly type: "char";
  readonly value: string;
  readonly fullWidth: boolean;
  readonly styles: readonly { readonly code: string; readonly endCode: string }[];
}

const workDir = mkdtempSync(join(tmpdir(), "jobrun-styled-chars-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** @alcalzone/ansi-tokenize as Ink resolves it, bundled with the given plugins. */
const loadAnsiTokenize = (name: string, plugins: Plugin[]) =>
  bundleAnsiTokenize<StyledChar>(workDir, name, plugins);

/** A deterministic mix of text and the SGR, 256-colour, true-colour and link codes Ink emits. */
function styledLines(count: number): string[] {
  const codes = [
    "\u001b[0m",
    "\u001b[1m",
    "\u001b[2m",
    "\u001b[22m",
    "\u001b[3m",
    "\u001b[23m",
    "\u001b[4m",
    "\u001b[24m",
    "\u001b[7m",
    "\u001b[27m",
    "\u001b[31m",
    "\u001b[32m",
    "\u001b[90m",
    "\u001b[39m",
    "\u001b[44m",
    "\u001b[49m",
    "\u001b[38;5;208m",
    "\u001b[48;5;17m",
    "\u001b[38;2;10;20;30m",
    "\u001b]8;;https://example.com\u0007",
    "\u001b]8;;\u0007",
  ];
  const texts = ["a", "run ", "  ", "✓", "⠋", "·", "…", "日本", " ", "IN_PROGRESS", "›"];
  let seed = 12345;
  // The high bits of a linear congruential generator (its low bits repeat with a short period).
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  return Array.from({ length: count }, () => {
    let line = "";
    const parts = 1 + next(12);
    for (let i = 0; i < parts; i++) {
      line += next(2) === 0 ? (codes[next(codes.length)] ?? "") : (texts[next(texts.length)] ?? "");
    }
    return line;
  });
}

const blank: StyledChar = { type: "char", value: " ", fullWidth: false, styles: [] };

describe("the bundle's fast path through Ink's text output", () => {
  it("makes the same text as @alcalzone/ansi-tokenize's own styledCharsToString", async () => {
    const original = await loadAnsiTokenize("original", []);
    const fast = await loadAnsiTokenize("fast", [styledCharsFastPath()]);
    expect(fast.styledCharsToString).not.toBe(original.styledCharsToString);
    let styled = 0;
    let shared = 0;
    for (const line of styledLines(3000)) {
      const chars = original.styledCharsFromTokens(original.tokenize(line));
      // The same cells, whose neighbours in one style share their styles.
      const fastChars = fast.styledCharsFromTokens(fast.tokenize(line));
      expect(fastChars).toEqual(chars);
      if (fastChars.some((c, i) => i > 0 && c.styles === fastChars[i - 1]?.styles)) shared++;
      // As Ink lays a line out: blank cells around the written text, and as it is written.
      for (const [cells, fastCells] of [
        [chars, fastChars],
        [
          [blank, blank, ...chars, blank, blank, blank],
          [blank, blank, ...fastChars, blank, blank, blank],
        ],
      ] as const) {
        const expected = original.styledCharsToString(cells);
        expect(fast.styledCharsToString(fastCells)).toBe(expected);
        if (expected.includes("\u001b")) styled++;
      }
    }
    expect(shared).toBeGreaterThan(1000);
    // The sample exercises the diff: most lines carry codes.
    expect(styled).toBeGreaterThan(3000);
  });
});
