// Builds the package once (tsc + the Worker bundle), so the CLI tests spawn the real bin and the
// workerd tests load the real bundle.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  const cwd = new URL("..", import.meta.url).pathname;
  execFileSync("pnpm", ["run", "build"], { cwd, stdio: "pipe" });
}
