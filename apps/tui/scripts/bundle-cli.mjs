// Bundles the `jobrun` binary into one file, dist/jobrun.mjs: its own modules, React, Ink and the
// jobrun packages it uses. Start-up is dominated by loading modules (hundreds of small files: each
// one resolved, read and compiled on its own), so one file draws the first frame much sooner (see
// bench/run.ts). The library entry (dist/index.js) stays unbundled for programs that import it.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli.js"],
  outfile: "dist/jobrun.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies (in React's tree) call require: give the ES module one.
  banner: {
    js: 'import { createRequire as __jobrunRequire } from "node:module";\nconst require = __jobrunRequire(import.meta.url);',
  },
  // The binary always runs React's production build (runtime.ts sets the same default for the
  // unbundled entry); the development build's code is dropped from the bundle.
  define: { "process.env.NODE_ENV": '"production"' },
  // Ink loads React DevTools only under DEV=true, an optional peer this binary does not ship.
  alias: { "react-devtools-core": "./scripts/devtools-absent.mjs" },
  minifySyntax: true,
  legalComments: "eof",
  logLevel: "warning",
});
