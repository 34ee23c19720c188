// One vitest config for the repository, a project per package. `pnpm test` (turbo) runs `vitest run`
// in each package; vitest finds this file by looking upward, and a run started inside a package's
// folder runs that package's project alone, so `pnpm --filter X test` and `vitest run test/x.test.ts`
// in a package work as they always did. At the root, `vitest run` runs every project.
//
// Besides the console reporter, each run writes test-results.json in the folder it started in:
// .ci/run sums the packages' files into the closing "N passed, N failed" line
// (scripts/test-summary.mjs). Tests use the packages' builds: turbo's `test` task builds first.
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const repo = fileURLToPath(new URL(".", import.meta.url));

/** One package's tests: `test/**\/*.test.ts` under its folder, with the settings every package shares. */
function project(
  name: string,
  folder: string,
  test: TestProjectInlineConfiguration["test"] = {},
): TestProjectInlineConfiguration {
  return {
    root: `${repo}${folder}`,
    test: {
      name,
      include: ["test/**/*.test.ts"],
      // Tests never reach the network beyond loopback; a hung socket must fail, not stall CI.
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...test,
    },
  };
}

const projects = [
  project("@jobrun/core", "packages/core"),
  project("@jobrun/client", "packages/client"),
  project("@jobrun/emulator", "packages/emulator"),
  project("@jobrun/proxy", "apps/proxy"),
  // The client under Deno, Bun and headless Chromium, against the proxy. Every call crosses a bridge
  // to another process first, and the paging tests make a few hundred: room for a busy machine.
  project("@jobrun/runtime-tests", "packages/runtime-tests", { testTimeout: 60_000, hookTimeout: 60_000 }),
  project("@jobrun/tui", "apps/tui", {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Ink's colours are off when stdout is not a terminal; the colour tests need them on (NO_COLOR
    // is tested through the theme, which must then hand out no colours at all).
    env: { FORCE_COLOR: "1" },
  }),
];

const cwd = process.cwd();
const here = projects.filter(({ root }) => cwd === root || cwd.startsWith(`${root}/`));

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    projects: here.length > 0 ? here : projects,
  },
});
