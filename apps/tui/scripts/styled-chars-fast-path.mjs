// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { sourcePatch } from "./source-patch.mjs";

/** The line of @alcalzone/ansi-tokenize's styledCharsToString that the fast path guards. */
const DIFF_LINE = "ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));";

/** The copy of the token that styledCharsFromTokens makes for every cell. */
const TOKEN_COPY_LINE = "...token,";

/** The copy of the current styles that styledCharsFromTokens gives every cell. */
const COPY_LINE = "styles: [...codes],";

/**
 * Ink turns every frame into text cell by cell (Output.get → styledCharsToString of
 * @alcalzone/ansi-tokenize): for each cell it diffs the previous cell's styles against this one's,
 * building three Sets and four arrays, even when both are the same (a plain blank, a run of one
 * colour), which is nearly every cell. On the first frame that code is still cold: in a CPU profile
 * it was 15% of the time to the first frame. The diff of equal style lists is empty (every
 * code of `from` is matched in `to` and none of `to` is new), so equal neighbours skip it; the
 * text is the same (test/styled-chars-fast-path.test.ts compares it with the original's).
 *
 * Before that, styledCharsFromTokens gives each cell a copy of its token by object spread (a
 * runtime call per cell while the code is cold: it now names the token's three fields) and its own
 * copy of the styles in force: an array per cell of every line. With this plugin the cells of a
 * run share the one array: `codes` is never changed in place (reduceAnsiCodesIncremental returns
 * a new array for every code) and no reader changes a cell's styles (Ink already shares the cells
 * of a line between frames through its cache), so the cells are equal, and equal neighbours are
 * found by identity. The build fails if the functions no longer look as expected.
 */
export function styledCharsFastPath() {
  return sourcePatch("styled-chars-fast-path", [
    {
      file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
      patch(source, path) {
        if (
          source.split(DIFF_LINE).length !== 2 ||
          source.split(COPY_LINE).length !== 2 ||
          source.split(TOKEN_COPY_LINE).length !== 2 ||
          !source.includes("codes = reduceAnsiCodesIncremental(codes, [token]);")
        ) {
          throw new Error(`${path} changed: review styledCharsFastPath`);
        }
        const guarded = source
          .replace(DIFF_LINE, `if (!sameStyles(chars[i - 1].styles, char.styles)) ${DIFF_LINE}`)
          .replace(TOKEN_COPY_LINE, "type: token.type, value: token.value, fullWidth: token.fullWidth,")
          .replace(COPY_LINE, "styles: codes,");
        return `${guarded}\n${sameStyles.toString()}\n`;
      },
    },
  ]);
}

/** Whether two cells' style lists are the same codes in the same order. */
function sameStyles(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  }
  return true;
}
