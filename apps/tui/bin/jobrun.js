#!/usr/bin/env node
// The bin is this small committed launcher rather than the built file itself: pnpm links a workspace
// package's bins at install time, before anything is built, and skips a bin whose file is missing.
// It runs dist/jobrun.mjs, the binary bundled by esbuild (scripts/bundle-cli.mjs) because loading
// hundreds of modules one by one is most of a cold start.
import { existsSync } from "node:fs";
import * as nodeModule from "node:module";

const cli = new URL("../dist/jobrun.mjs", import.meta.url);
if (!existsSync(cli)) {
  console.error(
    "jobrun is not built yet: run `pnpm run build` (or `pnpm start`) at the repository root first.",
  );
  process.exit(2);
}
// Node 22.1 and later keep V8's compiled code on disk (in the temporary directory) between runs, so
// a start after the first skips most of compiling the binary. Node 20 has no such cache: it compiles.
nodeModule.enableCompileCache?.();
// The binary is minified: a stack trace for a bug report maps back to the sources' files and lines.
if (process.env.JOBRUN_DEBUG) process.setSourceMapsEnabled(true);
await import(cli.href);
