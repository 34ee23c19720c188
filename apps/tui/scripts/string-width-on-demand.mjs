// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { sourcePatch } from "./source-patch.mjs";

const DECLARATION = "const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;";
const USE = "rgiEmojiRegex.test(segment)";
/** string-width's own shortcut for printable ASCII, which the narrow one below follows. */
const ASCII_SHORTCUT = "if (/^[\\u0020-\\u007E]*$/.test(string)) {";

/**
 * Whether `segment` is an RGI emoji, building the expensive expression only when a segment could
 * be one. Every single-code-point RGI emoji (Basic_Emoji) has Emoji_Presentation, so a lone code
 * point without it is not one; longer segments ask the full expression. Written as source so the
 * plugin and its test share it (test/string-width-on-demand.test.ts checks every code point).
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
 * Code units that are each a cluster of their own and one column wide as string-width measures them
 * (ambiguous ones narrow, its default): printable Latin-1 but the soft hyphen, general punctuation,
 * arrows, box drawing, blocks and shapes but the two wide squares, the check mark and ballot X, and
 * braille. A subset of graphemes-on-demand.mjs's SINGLE_CLUSTER; test/string-width-on-demand.test.ts
 * measures every one of them with the original.
 */
export const NARROW_SINGLE_UNITS =
  "/^[\\x20-\\x7e\\xa0-\\xac\\xae-\\xff\\u2010-\\u2027\\u2030-\\u205e\\u2190-\\u21ff\\u2500-\\u25fc\\u25ff\\u2713\\u2717\\u2800-\\u28ff]*$/";

/**
 * string-width 8 (Ink measures text with it) builds its Unicode property expressions as it needs
 * them, and they are costly to build: `\p{RGI_Emoji}` at load (ICU adds the set's thousands of
 * emoji sequences one by one, 0.18 G instructions, a tenth of all the main thread ran before the
 * first frame), its visible-character class (six properties) at the first text beyond ASCII. In
 * the bundle:
 * - the RGI expression is built when a possible emoji first appears (the first frame's glyphs,
 *   ✓ ✗ ■ › · … and the spinner, are single code points without Emoji_Presentation), if ever;
 * - a text of NARROW_SINGLE_UNITS is as wide as it is long, like the printable ASCII string-width
 *   already counts by length: no segmenting and no expression (9 ms less in a cold process
 *   measuring the demo's first frame).
 * The build fails if string-width no longer looks as expected.
 */
export function stringWidthOnDemand() {
  return sourcePatch("string-width-on-demand", [
    {
      file: /[\\/]string-width[\\/]index\.js$/,
      patch(source, path) {
        // Older string-width majors (wrap-ansi's) have no such expression: they load as they are.
        // If this one changes, nothing matches and the build fails.
        if (!source.includes(DECLARATION)) return undefined;
        if (
          source.split(DECLARATION).length !== 2 ||
          source.split("rgiEmojiRegex").length !== 3 ||
          source.split(ASCII_SHORTCUT).length !== 2
        ) {
          throw new Error(`${path} changed: review stringWidthOnDemand`);
        }
        // The call first: the new declaration has a call of its own.
        return source
          .replace(USE, "isRgiEmoji(segment)")
          .replace(DECLARATION, IS_RGI_EMOJI)
          .replace(ASCII_SHORTCUT, `if (${NARROW_SINGLE_UNITS}.test(string)) {`);
      },
    },
  ]);
}
