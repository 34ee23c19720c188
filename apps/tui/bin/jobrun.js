#!/usr/bin/env node
// The bin is this small committed launcher rather than the built file itself: pnpm links a workspace
// package's bins at install time, before anything is built, and skips a bin whose file is missing.
// It runs dist/jobrun.mjs, the binary bundled into one file (scripts/bundle-cli.mjs) because loading
// hundreds of modules one by one is most of a cold start.
import { existsSync } from "node:fs";

const cli = new URL("../dist/jobrun.mjs", import.meta.url);
if (!existsSync(cli)) {
  console.error(
    "jobrun is not built yet: run `pnpm run build` (or `pnpm start`) at the repository root first.",
  );
  process.exit(2);
}
await import(cli.href);
