// The program: flags → backend → either the interactive UI or one printed listing. Returns the
// exit code instead of exiting, so tests can run it in-process.
import { readFileSync } from "node:fs";
import { type Clock, type JobRun, listAllJobRuns, systemClock } from "@jobrun/core";
import { ExitCode, explainError } from "./errors.js";
import { formatJson, formatTable } from "./format/print.js";
import { type Options, parseCommandLine, USAGE } from "./options/parse-options.js";
import { createSession } from "./session/session.js";
import { type Backend, openBackend } from "./source/backend.js";
import { importOutsideCi } from "./startup/ci-env.js";
import { tuneHeap } from "./startup/runtime.js";
import { serverOrderBy } from "./state/sort.js";
import { initialState } from "./state/state.js";
import { createStore } from "./state/store.js";
import { systemBrowser } from "./terminal/browser.js";
import { terminalClipboard } from "./terminal/clipboard.js";
import { type AlternateScreen, enterAlternateScreen } from "./terminal/screen.js";
import { themeFromEnv } from "./theme.js";

export interface MainIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly clock?: Clock;
  /** Opens the backend; tests inject one. Default: from the flags. */
  readonly openBackend?: (options: Options) => Promise<Backend>;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Runs jobrun; resolves with the exit code. Never throws for a user's mistake or a backend's failure. */
export async function main(io: MainIo): Promise<number> {
  const parsed = parseCommandLine(io.argv, io.env);
  switch (parsed.kind) {
    case "help":
      io.stdout.write(`${USAGE}\n`);
      return ExitCode.ok;
    case "version":
      io.stdout.write(`jobrun ${version()}\n`);
      return ExitCode.ok;
    case "error":
      io.stderr.write(`jobrun: ${parsed.message}\nRun \`jobrun --help\` for the flags.\n`);
      return ExitCode.usage;
    case "run":
      break;
  }
  const { options } = parsed;
  const clock = io.clock ?? systemClock;
  let backend: Backend;
  try {
    backend = await (io.openBackend ?? ((o) => openBackend({ ...o, env: io.env, clock })))(options);
  } catch (error) {
    const explained = explainError(error, "list", options.endpoint);
    io.stderr.write(`jobrun: ${explained.message}\n`);
    return explained.exitCode;
  }
  const interactive = options.output === undefined && io.stdout.isTTY === true && io.stdin.isTTY === true;
  try {
    return interactive
      ? await runInteractive(io, options, backend, clock)
      : await printOnce(io, options, backend, clock);
  } finally {
    backend.stop();
  }
}

async function printOnce(io: MainIo, options: Options, backend: Backend, clock: Clock): Promise<number> {
  tuneHeap();
  const runs: JobRun[] = [];
  try {
    const request = {
      parent: options.parent,
      filter: options.filter,
      orderBy: serverOrderBy(options.sort),
      pageSize: 1000,
    };
    for await (const run of listAllJobRuns(backend.service, request)) {
      if (options.limit !== undefined && runs.length >= options.limit) break;
      runs.push(run);
    }
  } catch (error) {
    const explained = explainError(error, "list", backend.endpoint);
    io.stderr.write(`jobrun: ${explained.message}\n`);
    return explained.exitCode;
  }
  io.stdout.write(options.output === "json" ? formatJson(runs) : formatTable(runs, clock.now()));
  // As gcloud does: an empty listing says so where a person reads it, and leaves stdout to scripts.
  if (runs.length === 0) io.stderr.write("Listed 0 items.\n");
  return ExitCode.ok;
}

async function runInteractive(io: MainIo, options: Options, backend: Backend, clock: Clock): Promise<number> {
  const store = createStore(
    initialState({
      parent: options.parent,
      serverFilter: options.filter,
      readonly: options.readonly,
      size: { columns: io.stdout.columns || 80, rows: io.stdout.rows || 24 },
      refreshSeconds: options.refreshSeconds,
      ...(options.sort === undefined ? {} : { sort: options.sort }),
    }),
  );
  // The first page is asked for before Ink loads (the slowest part of start-up), so the first
  // frame already shows runs instead of "Loading".
  let quit = () => {};
  const session = createSession({
    service: backend.service,
    store,
    clock,
    clipboard: terminalClipboard(io.stdout, io.env),
    browser: systemBrowser(io.env),
    refreshSeconds: options.refreshSeconds,
    endpoint: backend.endpoint,
    watch: backend.watch,
    onQuit: () => quit(),
  });
  backend.start();
  session.start();
  let screen: AlternateScreen | undefined;
  try {
    // Ink reads CI when it is imported: here stdout is a terminal, so the UI is interactive.
    const { showUi } = await importOutsideCi(process.env, () => import("./interactive.js"));
    screen = enterAlternateScreen(io.stdout);
    const ui = showUi({
      store,
      session,
      theme: themeFromEnv(io.env),
      now: () => clock.now(),
      source: backend.label,
      stdout: io.stdout,
      stdin: io.stdin,
      stderr: io.stderr,
    });
    quit = ui.quit;
    await ui.exited;
  } finally {
    session.stop();
    screen?.restore();
  }
  return ExitCode.ok;
}
