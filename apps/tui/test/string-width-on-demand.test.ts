// The binary's bundle builds string-width's Unicode property expressions on demand
// (scripts/string-width-on-demand.mjs): every width must stay what string-width itself measures.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { SINGLE_CLUSTER } from "../scripts/graphemes-on-demand.mjs";
import {
  IS_RGI_EMOJI,
  NARROW_SINGLE_UNITS,
  stringWidthOnDemand,
} from "../scripts/string-width-on-demand.mjs";
import { bundleAsInk } from "./support/bundle-as-ink.js";

type StringWidth = (text: string) => number;

const workDir = mkdtempSync(join(tmpdir(), "jobrun-string-width-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** string-width as Ink resolves it, bundled with the given plugins. */
async function loadStringWidth(name: string, plugins: Plugin[]): Promise<StringWidth> {
  const bundled = await bundleAsInk<{ default: StringWidth }>(
    workDir,
    name,
    'export { default } from "string-width";',
    plugins,
  );
  return bundled.default;
}

describe("string-width's expressions, built on demand in the bundle", () => {
  it("answers as /^\\p{RGI_Emoji}$/v for every single code point, lone surrogates included", () => {
    const isRgiEmoji = new Function(`${IS_RGI_EMOJI}\nreturn isRgiEmoji;`)() as (s: string) => boolean;
    // biome-ignore lint/complexity/useRegexLiterals: a v-flag literal needs an ES2024 target in TypeScript
    const rgi = new RegExp("^\\p{RGI_Emoji}$", "v");
    const differing: number[] = [];
    let emoji = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const text = String.fromCodePoint(cp);
      const expected = rgi.test(text);
      if (expected) emoji++;
      if (isRgiEmoji(text) !== expected) differing.push(cp);
    }
    expect(differing).toEqual([]);
    expect(emoji).toBeGreaterThan(1000);
  });

  it("leaves every width string-width measures as it was", async () => {
    const original = await loadStringWidth("original", []);
    const onDemand = await loadStringWidth("on-demand", [stringWidthOnDemand()]);
    expect(onDemand).not.toBe(original);
    const samples = [
      "✓ SUCCEEDED",
      "✗ FAILED",
      "■ TERMINATED",
      "⠋ IN_PROGRESS",
      "› ",
      "jobrun · demo · all pipelines",
      "loading…",
      "😀",
      "❤️",
      "❤",
      "👍🏽",
      "👨‍👩‍👧‍👦",
      "🏳️‍🌈",
      "🇫🇷",
      "1️⃣",
      "#️⃣",
      "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
      "☺︎",
      "日本語のテキスト",
      "한국어",
      "e\u0301",
      "\u001b[31mred ✓\u001b[39m",
    ];
    for (let cp = 0xa0; cp <= 0x10ffff; cp += 97) {
      if (cp < 0xd800 || cp > 0xdfff) samples.push(String.fromCodePoint(cp), `a${String.fromCodePoint(cp)}b`);
    }
    const differing = samples.filter((text) => onDemand(text) !== original(text));
    expect(differing).toEqual([]);
  });

  it("measures every narrow single unit one column wide, alone and among others, as string-width does", async () => {
    const original = await loadStringWidth("original-narrow", []);
    const onDemand = await loadStringWidth("on-demand-narrow", [stringWidthOnDemand()]);
    const narrow = new Function(`return ${NARROW_SINGLE_UNITS};`)() as RegExp;
    const units: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      if (narrow.test(char)) units.push(char);
    }
    expect(units.length).toBeGreaterThan(800);
    // Each is a cluster of its own next to any other (graphemes-on-demand's test checks that set),
    // so a text of them is as wide as the sum of its units.
    expect(units.filter((char) => !SINGLE_CLUSTER.test(char))).toEqual([]);
    expect(units.filter((char) => original(char) !== 1 || original(`a${char}b`) !== 3)).toEqual([]);
    // Texts that mix them with code and with wide, zero-width and joining characters measure the same.
    const others = [
      "日",
      "\u00ad",
      "\u0301",
      "😀",
      "\u25fd",
      "⛔",
      "\u001b[31m",
      "\u001b[39m",
      "\t",
      "\u200b",
    ];
    let seed = 99;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const differing: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let text = "";
      const length = 1 + next(10);
      for (let j = 0; j < length; j++) {
        text += next(4) === 0 ? (others[next(others.length)] ?? "") : (units[next(units.length)] ?? "");
      }
      if (onDemand(text) !== original(text)) differing.push(text);
    }
    expect(differing).toEqual([]);
  });
});
