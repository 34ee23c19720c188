// Bundles the `jobrun` binary: dist/jobrun.mjs, plus the chunks it imports when it needs them
// (dist/jobrun-*.mjs): its own modules, React, Ink and the jobrun packages it uses. Start-up is
// dominated by loading and compiling code, so the binary is built to load as little as it can
// before the first frame (see bench/run.ts):
// - a few files instead of hundreds of small modules, each resolved, read and compiled on its own;
// - split at the dynamic imports, so each mode compiles only what it runs: the demo never loads the
//   HTTP client and its credential lookup, `--output` never loads React and Ink, and nobody loads
//   Ink's DevTools bridge (with `ws`) unless DEV=true;
// - minified: less to read, decode and parse, and ASCII only (a single non-ASCII character in a
//   comment makes Node decode the whole file into a two-byte string). Stack traces stay readable
//   through the source maps beside the chunks (bin/jobrun.js turns them on under JOBRUN_DEBUG);
// - React's production build, whose development code is dropped;
// - yoga-layout (Ink's layout engine) reads its embedded WebAssembly without `fetch`
//   (yoga-without-fetch.mjs), Ink reads the lines it writes one code unit at a time where each is
//   a cluster of its own (tokenize-fast-path.mjs) and skips diffing equal styles cell by cell when
//   it turns a frame into text (styled-chars-fast-path.mjs), and string-width builds its Unicode
//   property expressions only for a text that needs them (string-width-on-demand.mjs): its RGI
//   emoji expression when a possible emoji appears, none for narrow glyphs that each stand alone;
//   Ink's text dependencies get their
//   Intl.Segmenter from graphemes-on-demand.mjs, which creates the real one only for a text whose
//   code points do not each stand alone; node:child_process and node:v8, used only after the first
//   frame, load at their first call (builtins-on-demand.mjs).
// The library entry (dist/index.js) stays unbundled for programs that import it.
import { readdir, rm } from "node:fs/promises";
import { build } from "esbuild";
import { builtinsOnDemand } from "./builtins-on-demand.mjs";
import { stringWidthOnDemand } from "./string-width-on-demand.mjs";
import { styledCharsFastPath } from "./styled-chars-fast-path.mjs";
import { tokenizeFastPath } from "./tokenize-fast-path.mjs";
import { yogaWithoutFetch } from "./yoga-without-fetch.mjs";

const outdir = "dist";
const chunkPrefix = "jobrun-";

// Chunks are named by content hash: the previous build's would stay beside the new ones.
for (const name of await readdir(outdir)) {
  if (name.startsWith(chunkPrefix) || name.startsWith("jobrun.mjs")) {
    await rm(`${outdir}/${name}`);
  }
}

await build({
  entryPoints: ["dist/cli.js"],
  outdir,
  entryNames: "jobrun",
  // Beside the entry, not in a folder: the code reads ../package.json relative to its own file.
  chunkNames: `${chunkPrefix}[name]-[hash]`,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies (in React's tree) call require: give each ES module file one.
  banner: {
    js: 'import { createRequire as __jobrunRequire } from "node:module";\nconst require = __jobrunRequire(import.meta.url);',
  },
  // The binary always runs React's production build (runtime.ts sets the same default for the
  // unbundled entry); the development build's code is dropped from the bundle.
  // Every `Intl.Segmenter` in the bundle is the on-demand one (see graphemes-on-demand.mjs).
  define: { "process.env.NODE_ENV": '"production"', "Intl.Segmenter": "GraphemeSegmenterOnDemand" },
  inject: ["scripts/graphemes-on-demand.mjs"],
  // Ink loads React DevTools only under DEV=true, an optional peer this binary does not ship.
  alias: { "react-devtools-core": "./scripts/devtools-absent.mjs" },
  plugins: [
    yogaWithoutFetch(),
    styledCharsFastPath(),
    tokenizeFastPath(),
    stringWidthOnDemand(),
    builtinsOnDemand(),
  ],
  minify: true,
  charset: "ascii",
  // Maps to file and line, without the sources themselves (the published package has them).
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "eof",
  logLevel: "warning",
});
