#!/usr/bin/env node
// The `jobrun` binary. Any error that escapes is still one line, never a stack trace
// (JOBRUN_DEBUG=1 shows the stack, for bug reports).
import { tuneRuntime } from "./startup/runtime.js";
import { exitQuietlyOnClosedPipe, flushed } from "./terminal/output.js";

// Before anything loads React (main loads it with the UI).
tuneRuntime();
exitQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
const { main } = await import("./main.js");

try {
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
  // Every byte reaches a pipe before the process ends (exit() would drop what is still queued).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
} catch (error) {
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jobrun: unexpected error: ${text}\n`);
  if (process.env.JOBRUN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
