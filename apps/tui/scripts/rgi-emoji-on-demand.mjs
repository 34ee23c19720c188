// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { readFile } from "node:fs/promises";

const DECLARATION = "const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;";
const USE = "rgiEmojiRegex.test(segment)";

/**
 * Whether `segment` is an RGI emoji, building the expensive expression only when a segment could
 * be one. Every single-code-point RGI emoji (Basic_Emoji) has Emoji_Presentation, so a lone code
 * point without it is not one; longer segments ask the full expression. Written as source so the
 * plugin and its test share it (test/rgi-emoji-on-demand.test.ts checks every code point).
 */
export const IS_RGI_EMOJI = `let rgiEmojiRegex;
const emojiPresentationRegex = /^\\p{Emoji_Presentation}$/u;
function isRgiEmoji(segment) {
  const first = segment.codePointAt(0);
  if (segment.length === (first > 0xffff ? 2 : 1) && !emojiPresentationRegex.test(segment)) return false;
  rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v;
  return rgiEmojiRegex.test(segment);
}`;

/**
 * string-width 8 (Ink measures text with it) builds /^\p{RGI_Emoji}$/v when it loads: ICU adds
 * the set's thousands of emoji sequences one by one, 0.18 G instructions, a tenth of all the main
 * thread runs before the first frame. The expression only decides whether a cluster is an emoji;
 * the first frame's glyphs (✓ ✗ ■ › · … and the spinner) are single code points without
 * Emoji_Presentation, so with this plugin it is built when a possible emoji first appears, if ever.
 * The build fails if string-width no longer looks as expected.
 */
export function rgiEmojiOnDemand() {
  const file = /[\\/]string-width[\\/]index\.js$/;
  let applied = 0;
  return {
    name: "rgi-emoji-on-demand",
    setup(build) {
      build.onLoad({ filter: file }, async (args) => {
        const source = await readFile(args.path, "utf8");
        // Older string-width majors (wrap-ansi's) have no such expression: they load as they are.
        // If this one changes, nothing matches and onEnd fails the build.
        if (!source.includes(DECLARATION)) return undefined;
        if (source.split(DECLARATION).length !== 2 || source.split("rgiEmojiRegex").length !== 3) {
          throw new Error(`${args.path} changed: review rgiEmojiOnDemand`);
        }
        applied++;
        return {
          // The call first: the new declaration has a call of its own.
          contents: source.replace(USE, "isRgiEmoji(segment)").replace(DECLARATION, IS_RGI_EMOJI),
          loader: "js",
        };
      });
      build.onEnd((result) => {
        if (result.errors.length === 0 && applied !== 1) {
          throw new Error(`rgiEmojiOnDemand applied to ${applied} files instead of 1: review it`);
        }
      });
    },
  };
}
