// The address a jobrun-proxy started by a benchmark listens on. The CLI says it on stderr
// (`jobrun-proxy: listening on http://…`); stdout carries its request log, which no benchmark reads.
import type { ChildProcess } from "node:child_process";
import { LISTENING_ON } from "../test/support/cli-process.js";

/**
 * Resolves with the URL `child` (spawned with stdout and stderr piped) says it listens on; rejects
 * if it exits first. Its log lines are drained so a full pipe never stalls it, and what it says on
 * stderr is shown on this process's stderr.
 */
export function listeningAddress(child: ChildProcess): Promise<string> {
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    let said = "";
    let found = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (found) return;
      said += chunk.toString();
      const match = LISTENING_ON.exec(said);
      if (match?.[1] !== undefined) {
        found = true;
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`the proxy exited with ${code}`)));
  });
}
