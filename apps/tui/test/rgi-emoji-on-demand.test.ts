// The binary's bundle builds string-width's RGI emoji expression on demand
// (scripts/rgi-emoji-on-demand.mjs): every width must stay what string-width itself measures.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { IS_RGI_EMOJI, rgiEmojiOnDemand } from "../scripts/rgi-emoji-on-demand.mjs";
import { bundleAsInk } from "./support/bundle-as-ink.js";

type StringWidth = (text: string) => number;

const workDir = mkdtempSync(join(tmpdir(), "jobrun-rgi-emoji-"));
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

describe("string-width's RGI emoji expression, built on demand in the bundle", () => {
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
    const onDemand = await loadStringWidth("on-demand", [rgiEmojiOnDemand()]);
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
});
