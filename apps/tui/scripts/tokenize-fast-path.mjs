// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).

import { fileURLToPath } from "node:url";
import { sourcePatch } from "./source-patch.mjs";

/** The original's signature, renamed to be the general path. */
const SIGNATURE = "export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {";

/** What the fast path calls of the module it is added to; the build fails if one is gone. */
const USED = [
  "function parseLinkCode(string, offset)",
  "function parseSGRSequence(string, offset)",
  "function splitCompoundSGRSequences(code)",
  "import isFullwidthCodePoint from",
  "{ CSI,",
  "getEndCode,",
  "OSC,",
];

/** Where SINGLE_CLUSTER lives: the graphemes shim injected into the same bundle. */
const graphemesModule = fileURLToPath(new URL("./graphemes-on-demand.mjs", import.meta.url));

/**
 * Ink turns every line it writes into cells with @alcalzone/ansi-tokenize's `tokenize`: it walks
 * the line's grapheme clusters through an Intl.Segmenter iterator (an object per cluster) and asks
 * get-east-asian-width about each, all in cold code on the first frame, where it was the largest
 * single function in a CPU profile of the demo's start (6,000 cells). A line made only of
 * SINGLE_CLUSTER code units (graphemes-on-demand.mjs: every UTF-16 unit its own cluster, the
 * escape character among them) is walked here one unit at a time instead, reading escape sequences
 * with the module's own parsers exactly where the original does and asking about width only above
 * ASCII. Any other line takes the original path. test/tokenize-fast-path.test.ts compares the
 * tokens with the original's.
 */
export function tokenizeFastPath() {
  return sourcePatch("tokenize-fast-path", [
    {
      file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/,
      patch(source, path) {
        if (source.split(SIGNATURE).length !== 2 || USED.some((part) => !source.includes(part))) {
          throw new Error(`${path} changed: review tokenizeFastPath`);
        }
        const general = source.replace(
          SIGNATURE,
          SIGNATURE.replace("export function tokenize", "function tokenizeBySegments"),
        );
        return `import { SINGLE_CLUSTER } from ${JSON.stringify(graphemesModule)};\n${general}\n${FAST_PATH}`;
      },
    },
  ]);
}

/** Appended to tokenize.js: the exported `tokenize`, and its walk over single-unit clusters. */
const FAST_PATH = `
export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {
  return SINGLE_CLUSTER.test(str) ? tokenizeSingleUnits(str, endChar) : tokenizeBySegments(str, endChar);
}

function tokenizeSingleUnits(str, endChar) {
  const ret = [];
  let visible = 0;
  for (let index = 0; index < str.length; index++) {
    const unit = str.charCodeAt(index);
    if (unit === 0x1b) {
      const next = str.charCodeAt(index + 1);
      let code;
      if (next === OSC) {
        code = parseLinkCode(str, index);
        if (code) ret.push({ type: "ansi", code: code, endCode: getEndCode(code) });
      } else if (next === CSI) {
        code = parseSGRSequence(str, index);
        if (code) {
          for (const individualCode of splitCompoundSGRSequences(code)) {
            ret.push({ type: "ansi", code: individualCode, endCode: getEndCode(individualCode) });
          }
        }
      }
      if (code) {
        index += code.length - 1;
        continue;
      }
    }
    const fullWidth = unit > 0x7f && isFullwidthCodePoint(unit);
    ret.push({ type: "char", value: str[index], fullWidth });
    visible += fullWidth ? 2 : 1;
    if (visible >= endChar) break;
  }
  return ret;
}
`;
