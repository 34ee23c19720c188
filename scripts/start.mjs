#!/usr/bin/env node
// `pnpm start`: the TUI on the embedded emulator's live demo, once apps/tui exists.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const tui = new URL("../apps/tui/package.json", import.meta.url);
if (!existsSync(tui)) {
  console.error("The jobrun TUI (apps/tui) is not built yet: this checkout has @jobrun/core only.");
  console.error("Run the tests with: npx -y pnpm@10 test");
  process.exit(1);
}
const result = spawnSync("pnpm", ["--filter", "@jobrun/tui", "run", "start", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
