// The binary's bundle gives Ink's text dependencies an Intl.Segmenter that creates the real one
// only when a text needs it (scripts/graphemes-on-demand.mjs): every segmentation, width, token and
// slice must stay what the real segmenter gives.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GraphemeSegmenterOnDemand, SINGLE_CLUSTER } from "../scripts/graphemes-on-demand.mjs";
import { SPINNER_FRAMES } from "../src/theme.js";
import { bundleAsInk, SEGMENTER_AS_THE_BINARY } from "./support/bundle-as-ink.js";

const workDir = mkdtempSync(join(tmpdir(), "jobrun-graphemes-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Texts of both kinds: the demo's, and ones that need real grapheme segmentation. */
const samples = [
  "",
  "jobrun · demo (embedded emulator) · updated 12:00:01",
  "› ✓ SUCCEEDED  ✗ FAILED  ■ TERMINATED  … ↓",
  ...SPINNER_FRAMES.map((f) => `${f} IN_PROGRESS`),
  "┌──┐│└┘ ▲ ▼ ◆ ★ ☐ ☑",
  "\u001b[31mred ✓\u001b[39m \u001b[1mbold\u001b[22m \u001b]8;;https://x\u0007link\u001b]8;;\u0007",
  "tab\there\nnext line",
  "crlf\r\nline",
  "e\u0301 a\u0308 n\u0303",
  "😀 ❤️ ❤ 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷 1️⃣",
  "日本語のテキスト 한국어 ｶﾞ",
  "✓\ufe0f ☺︎ ⌚",
  "\u200d\u200c\u00ad",
  "a\u0300\u0300\u0300b",
];

function segments(segmenter: Intl.Segmenter, text: string) {
  return [...segmenter.segment(text)].map(({ segment, index, input }) => ({ segment, index, input }));
}

describe("the grapheme segmenter on demand", () => {
  it("covers the glyphs of every state", () => {
    expect(SINGLE_CLUSTER.test(["›", "✓", "✗", "■", "·", "…", "↓", "↑", ...SPINNER_FRAMES].join(""))).toBe(
      true,
    );
  });

  it("only takes code points that stay a cluster of their own next to any other of them", () => {
    const single: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      const char = String.fromCharCode(cp);
      if (SINGLE_CLUSTER.test(char)) single.push(char);
    }
    expect(single.length).toBeGreaterThan(1000);
    const real = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    // Each code point between every other (both orders of every pair): all clusters of one unit.
    const joined: string[] = [];
    for (const a of single) {
      const text = single.map((b) => a + b).join("");
      let count = 0;
      for (const _ of real.segment(text)) count++;
      if (count !== text.length) joined.push(a);
    }
    expect(joined).toEqual([]);
    // Over two million code units through ICU: about 3 s alone, ten times that on a machine busy
    // with the rest of the suite.
  }, 120_000);

  it("segments every text as Intl.Segmenter does, `containing` included", () => {
    const real = new Intl.Segmenter();
    const lazy = new GraphemeSegmenterOnDemand();
    for (const text of samples) {
      expect(segments(lazy, text)).toEqual(segments(real, text));
      for (const index of [-1, 0, 1, 2, text.length - 1, text.length, 0.5]) {
        expect(lazy.segment(text).containing(index)).toEqual(real.segment(text).containing(index));
      }
    }
    expect(lazy.resolvedOptions().granularity).toBe("grapheme");
  });

  it("segments words and sentences as Intl.Segmenter does", () => {
    for (const granularity of ["word", "sentence"] as const) {
      const real = new Intl.Segmenter("en", { granularity });
      const lazy = new GraphemeSegmenterOnDemand("en", { granularity });
      for (const text of ["two words. And more", ...samples]) {
        expect([...lazy.segment(text)]).toEqual([...real.segment(text)]);
      }
      expect(lazy.resolvedOptions()).toEqual(real.resolvedOptions());
    }
  });

  it("leaves Ink's widths, tokens and slices as they were", async () => {
    interface TextModules {
      stringWidth(text: string): number;
      oldStringWidth(text: string): number;
      tokenize(text: string): unknown[];
      sliceAnsi(text: string, start: number, end?: number): string;
    }
    const entry = [
      'export { default as stringWidth } from "string-width";',
      'export { tokenize } from "@alcalzone/ansi-tokenize";',
      'export { default as sliceAnsi } from "slice-ansi";',
      // string-width 7, as wrap-ansi (Ink's text wrapping) resolves it.
      'import wrapAnsi from "wrap-ansi";',
      "export const oldStringWidth = (text) => wrapAnsi(text, 1000, { hard: true, trim: false }).length;",
    ].join("\n");
    const original = await bundleAsInk<TextModules>(workDir, "original", entry, []);
    const patched = await bundleAsInk<TextModules>(workDir, "on-demand", entry, [], SEGMENTER_AS_THE_BINARY);
    for (const text of samples) {
      expect(patched.stringWidth(text)).toBe(original.stringWidth(text));
      expect(patched.oldStringWidth(text)).toBe(original.oldStringWidth(text));
      expect(patched.tokenize(text)).toEqual(original.tokenize(text));
      for (const [start, end] of [
        [0, 3],
        [2, 9],
        [1, undefined],
        [5, 40],
      ] as const) {
        expect(patched.sliceAnsi(text, start, end)).toBe(original.sliceAnsi(text, start, end));
      }
    }
  });
});
