// The binary's bundle reads the lines Ink writes one UTF-16 unit at a time when each unit is a
// grapheme cluster of its own (scripts/tokenize-fast-path.mjs): its tokens must be the ones
// @alcalzone/ansi-tokenize makes from the same line, escape codes, widths and cut-off included.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SINGLE_CLUSTER } from "../scripts/graphemes-on-demand.mjs";
import { tokenizeFastPath } from "../scripts/tokenize-fast-path.mjs";
import { type AnsiTokenize, bundleAnsiTokenize, SEGMENTER_AS_THE_BINARY } from "./support/bundle-as-ink.js";

const workDir = mkdtempSync(join(tmpdir(), "jobrun-tokenize-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** As the binary is built: the fast path relies on the graphemes shim. */
const loadAnsiTokenize = (name: string, plugins: Plugin[]) =>
  bundleAnsiTokenize(workDir, name, plugins, SEGMENTER_AS_THE_BINARY);

let original: AnsiTokenize;
let fast: AnsiTokenize;
beforeAll(async () => {
  original = await loadAnsiTokenize("original", []);
  fast = await loadAnsiTokenize("fast", [tokenizeFastPath()]);
});

/** Escape sequences Ink writes, and broken ones the original reads as plain characters. */
const CODES = [
  "\u001b[0m",
  "\u001b[1m",
  "\u001b[22m",
  "\u001b[7m",
  "\u001b[27m",
  "\u001b[31m",
  "\u001b[39m",
  "\u001b[1;3;31m",
  "\u001b[38;5;208m",
  "\u001b[48;2;10;20;30m",
  "\u001b[38;5m",
  "\u001b]8;;https://example.com\u0007",
  "\u001b]8;id=1;https://example.com/a;b\u0007",
  "\u001b]8;;\u0007",
  // Broken: no final byte, an unknown final byte, an unterminated link, a lone escape.
  "\u001b[31",
  "\u001b[?25l",
  "\u001b]8;;https://unterminated",
  "\u001b]0;title\u0007",
  "\u001b",
];

/** Texts of single-unit clusters (the demo's glyphs, Latin-1, box drawing, braille, controls) and others. */
const TEXTS = [
  "a",
  "run ",
  "  ",
  "IN_PROGRESS",
  "✓",
  "✗",
  "■",
  "›",
  "·",
  "…",
  "↓",
  "⠋",
  "é",
  "┌─┐",
  "\u00ad",
  "\t",
  "\u0007",
  "⛔",
  "✅",
  // Not single-unit clusters: the original path.
  "日本",
  "e\u0301",
  "👍🏽",
  "\r\n",
  "\u009b31m",
  "❤️",
];

/** A deterministic generator (the high bits of a linear congruential generator). */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

function lines(count: number, seed: number): string[] {
  const next = generator(seed);
  return Array.from({ length: count }, () => {
    let line = "";
    const parts = next(14);
    for (let i = 0; i < parts; i++) {
      line += next(3) === 0 ? (CODES[next(CODES.length)] ?? "") : (TEXTS[next(TEXTS.length)] ?? "");
    }
    return line;
  });
}

describe("the bundle's fast path through @alcalzone/ansi-tokenize's tokenize", () => {
  it("is the patched function", () => {
    expect(fast.tokenize).not.toBe(original.tokenize);
  });

  it("makes the original's tokens from every line, cut off or not", () => {
    let singleUnit = 0;
    for (const line of lines(4000, 7)) {
      if (SINGLE_CLUSTER.test(line)) singleUnit++;
      expect(fast.tokenize(line)).toEqual(original.tokenize(line));
      for (const endChar of [0, 1, 3, 8]) {
        expect(fast.tokenize(line, endChar)).toEqual(original.tokenize(line, endChar));
      }
    }
    // Both paths are exercised: most lines take the fast one.
    expect(singleUnit).toBeGreaterThan(1500);
    expect(singleUnit).toBeLessThan(4000);
  });

  it("reads every single-unit code point as the original does, wide ones included", () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      if (!SINGLE_CLUSTER.test(char)) continue;
      const text = `a${char}b`;
      expect(fast.tokenize(text), `U+${unit.toString(16)}`).toEqual(original.tokenize(text));
    }
  });

  it("reads a frame's line as cells and style changes", () => {
    expect(fast.tokenize("\u001b[32m✓ ok\u001b[39m")).toEqual([
      { type: "ansi", code: "\u001b[32m", endCode: "\u001b[39m" },
      { type: "char", value: "✓", fullWidth: false },
      { type: "char", value: " ", fullWidth: false },
      { type: "char", value: "o", fullWidth: false },
      { type: "char", value: "k", fullWidth: false },
      { type: "ansi", code: "\u001b[39m", endCode: "\u001b[39m" },
    ]);
  });
});
