#!/usr/bin/env node
// The `jobrun` binary. Any error that escapes is still one line, never a stack trace
// (JOBRUN_DEBUG=1 shows the stack, for bug reports).

// React's development build (what an unset NODE_ENV selects) is several times slower per frame and
// heavier; a user's terminal wants the production build. React loads later, with the UI.
process.env.NODE_ENV ??= "production";
const { main } = await import("./main.js");

try {
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
  process.exit(code);
} catch (error) {
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jobrun: unexpected error: ${text}\n`);
  if (process.env.JOBRUN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
