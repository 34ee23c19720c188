#!/usr/bin/env node
// The bin is this small committed launcher rather than dist/node/cli.js itself: pnpm links a workspace
// package's bins at install time, before anything is built, and skips a bin whose file is missing.
import { existsSync } from "node:fs";

const cli = new URL("../dist/node/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("jobrun-proxy is not built yet: run `pnpm run build` at the repository root first.");
  process.exit(2);
}
await import(cli.href);
