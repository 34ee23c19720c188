// The binary's bundle loads node:child_process and node:v8 when one of their functions is first
// called (scripts/builtins-on-demand.mjs), not at start: the calls must do what the real ones do.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { builtinsOnDemand } from "../scripts/builtins-on-demand.mjs";

const workDir = mkdtempSync(join(tmpdir(), "jobrun-builtins-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** `entry` bundled as the binary is (ES module with the banner's `require`), as text. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: workDir },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    banner: {
      js: 'import { createRequire as __jobrunRequire } from "node:module";\nconst require = __jobrunRequire(import.meta.url);',
    },
    plugins: [builtinsOnDemand()],
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** Runs `code` as an ES module in a fresh node and parses the JSON line it prints. */
function run(name: string, code: string): unknown {
  const file = join(workDir, `${name}.mjs`);
  writeFileSync(file, code);
  const result = spawnSync(process.execPath, [file], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

describe("node:child_process and node:v8 on demand in the bundle", () => {
  it("loads neither at import, and each on the first call, which answers as the real function", async () => {
    const code = await bundle(`
      import { execFileSync, spawnSync, spawn } from "node:child_process";
      import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
      const loaded = () => ["child_process", "v8"].filter((m) => process.moduleLoadList.includes("NativeModule " + m));
      const atImport = loaded();
      const printed = execFileSync(process.execPath, ["-e", "process.stdout.write('out')"], { encoding: "utf8" });
      const afterExec = loaded();
      const sync = spawnSync(process.execPath, ["-e", "process.exit(3)"]);
      const exitCode = await new Promise((resolve) => spawn(process.execPath, ["-e", "process.exit(4)"]).on("exit", resolve));
      setFlagsFromString("--heap-growing-percent=20");
      const spaces = getHeapSpaceStatistics().map((space) => space.space_name);
      console.log(JSON.stringify({ atImport, printed, afterExec, status: sync.status, exitCode, all: loaded(), newSpace: spaces.includes("new_space") }));
    `);
    expect(run("calls", code)).toEqual({
      atImport: [],
      printed: "out",
      afterExec: ["child_process"],
      status: 3,
      exitCode: 4,
      all: ["child_process", "v8"],
      newSpace: true,
    });
  });

  it("fails the build for an import it has no stand-in for", async () => {
    await expect(bundle('import { fork } from "node:child_process"; fork("x");')).rejects.toThrow(/fork/);
    await expect(bundle('import v8 from "node:v8"; v8.getHeapStatistics();')).rejects.toThrow(/default/);
  });
});
