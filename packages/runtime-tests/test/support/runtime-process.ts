// Deno and Bun come from the npm registry as platform packages (devDependencies); their binaries are
// found inside them. A runtime that is not there fails the test with what to do, never skips it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Bridge } from "./bridge.js";

const require = createRequire(import.meta.url);
export const packageDir = new URL("../..", import.meta.url).pathname;

/** The binary `file` inside the installed package `pkg`, or an error that says how to get it. */
export function binaryIn(runtime: string, pkg: string, file: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(
      `${runtime} is not installed: its binary comes from the devDependency ${pkg} (Linux x64 only); run pnpm install`,
    );
  }
  const binary = join(dir, file);
  if (!existsSync(binary)) throw new Error(`${runtime}'s binary is missing from ${pkg}: expected ${binary}`);
  return binary;
}

export interface DriverProcess {
  /** Waits for the driver to exit after the bridge told it to, killing it if it does not. */
  close(): Promise<void>;
}

/**
 * Starts a driver process. If it exits before `close`, the bridge fails every call with its exit
 * code and what it wrote to stderr, so a crash in the runtime reads as one, not as a timeout.
 */
export function spawnDriver(
  runtime: string,
  command: string,
  args: readonly string[],
  bridge: Bridge,
  env: Readonly<Record<string, string>> = {},
): DriverProcess {
  const home = mkdtempSync(join(tmpdir(), `jobrun-${runtime.toLowerCase()}-`));
  const child: ChildProcess = spawn(command, [...args], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let closing = false;
  const exited = new Promise<void>((resolve) => {
    child.once("error", (error) => {
      bridge.fail(new Error(`${runtime} could not be started (${command}): ${error.message}`));
      resolve();
    });
    child.once("exit", (code, signal) => {
      if (!closing) {
        bridge.fail(
          new Error(
            `${runtime} exited (${signal ?? `code ${code}`}) before the test ended; its output:\n${output}`,
          ),
        );
      }
      resolve();
    });
  });
  return {
    close: async () => {
      closing = true;
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
