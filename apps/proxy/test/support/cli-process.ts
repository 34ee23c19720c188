// The real bin (bin/jobrun-proxy.js launching the built CLI), spawned as a user would run it.
import { type ChildProcess, spawn } from "node:child_process";

export const bin = new URL("../../bin/jobrun-proxy.js", import.meta.url).pathname;

export interface RunningCli {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exit: Promise<number | null>;
  /** What it wrote to stdout (its log lines) and stderr so far. */
  readonly output: { stdout: string; stderr: string };
}

/** The line the CLI says on stderr once it listens; its group is the URL. */
export const LISTENING_ON = /listening on (http:\/\/\S+)/;

const children: ChildProcess[] = [];

/** Kills every CLI this module started that is still running. */
export function killAll(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** Starts the bin on port 0 (with `env`, default this process's) and resolves once it prints `listening on …`. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningCli> {
  const child = spawn(process.execPath, [bin, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  children.push(child);
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const output = { stdout: "", stderr: "" };
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      output.stdout += chunk;
    });
    // The line is said to the person running it, on stderr: stdout holds only log lines.
    child.stderr!.on("data", (chunk) => {
      output.stderr += chunk;
      const match = LISTENING_ON.exec(output.stderr);
      if (match) resolve({ child, url: match[1]!, exit, output });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${output.stderr}`)));
  });
}
