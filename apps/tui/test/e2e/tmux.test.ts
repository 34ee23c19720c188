// The real `jobrun` binary in a real terminal (tmux): start on the demo, move, open details,
// filter, terminate through the dialog, quit, and read the screen after each step.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("../..", import.meta.url));
const socket = `jobrun-e2e-${process.pid}`;
const target = "e2e";
const workDir = mkdtempSync(join(tmpdir(), "jobrun-e2e-"));
const exitFile = join(workDir, "exit-code");

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
}

function screen(): string {
  return tmux("capture-pane", "-p", "-t", target);
}

/** The selected list row (marked "›"). */
function selectedLine(text: string): string {
  return text.split("\n").find((line) => line.startsWith("›")) ?? "";
}

/** Polls the screen until `test` passes; fails with the last screen when it does not in time. */
async function waitForScreen(
  what: string,
  test: (text: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = screen();
    if (test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const dead = tmux(
    "display-message",
    "-p",
    "-t",
    target,
    "#{pane_dead} #{pane_current_command} #{pane_pid}",
  );
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (pane: ${dead.trim()}); the screen was:\n${text}`,
  );
}

const waitForText = (text: string | RegExp) =>
  waitForScreen(String(text), (s) => (typeof text === "string" ? s.includes(text) : text.test(s)));

function keys(...names: string[]): void {
  tmux("send-keys", "-t", target, ...names);
}

function type(text: string): void {
  tmux("send-keys", "-t", target, "-l", text);
}

beforeAll(() => {
  const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      "tmux is not installed, and the end-to-end test needs it: apt-get install -y tmux (.ci/run installs it)",
    );
  }
  // The binary as built from this source: turbo's `test` task builds the package first.
  if (!existsSync(join(appDir, "dist", "cli.js"))) {
    throw new Error("jobrun is not built: run `pnpm run build` at the repository root first");
  }
  // CI=true on purpose: Ink alone would then draw only a last frame, and a user may have CI set in
  // a terminal; jobrun must stay interactive whenever stdout is a terminal.
  // The shell records the exit code once jobrun has gone.
  const command = `env CI=true CONTINUOUS_INTEGRATION=true TERM=xterm-256color node dist/cli.js --refresh 1; echo $? > ${exitFile}`;
  tmux("-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "150", "-y", "40", "-c", appDir, command);
  tmux("set-option", "-t", target, "remain-on-exit", "on");
  tmux("set-option", "-s", "escape-time", "0");
}, 60_000);

afterAll(() => {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
  rmSync(workDir, { recursive: true, force: true });
});

describe("jobrun in a terminal", () => {
  it("starts on the demo with a header and live rows", async () => {
    const text = await waitForText(/updated \d\d:\d\d:\d\d/);
    expect(text).toContain("jobrun · demo (embedded emulator) · projects/demo-project/locations/-/");
    expect(text).toMatch(/STATE\s+KIND\s+JOB\s+PHASE\s+ROLLOUT\s+AGE\s+DURATION\s+FAILURE/);
    expect(text).toMatch(/\d+ IN_PROGRESS/);
  });

  it("moves the selection with j and k", async () => {
    const before = selectedLine(screen());
    keys("j", "j");
    await waitForScreen(
      "the selection to move",
      (s) => s.split("\n").findIndex((l) => l.startsWith("›")) === 5,
    );
    keys("k");
    await waitForScreen(
      "the selection to move back",
      (s) => s.split("\n").findIndex((l) => l.startsWith("›")) === 4,
    );
    expect(before).not.toBe("");
  });

  it("opens the details with Enter and goes back with Esc", async () => {
    keys("Enter");
    const text = await waitForText(/Name\s+projects\/demo-project\//);
    expect(text).toMatch(/State\s+[A-Z_]+/);
    expect(text).toMatch(/Kind\s+\w+/);
    expect(text).toMatch(/Build\s+|Child rollout\s+/);
    keys("Escape");
    await waitForText("STATE");
  });

  it("filters the rows live with / and on the server with :filter", async () => {
    keys("/");
    type("verify");
    keys("Enter");
    let text = await waitForText("· /verify");
    const rows = text.split("\n").filter((l) => /^[› ] [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓✗■] /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain("verify");
    keys("/", "Escape");
    await waitForScreen("the text filter to clear", (s) => !s.includes("· /verify"));

    keys(":");
    type('filter state="FAILED"');
    keys("Enter");
    text = await waitForScreen(
      "only FAILED rows",
      (s) => s.includes('filter state="FAILED"') && /^› ✗ FAILED/m.test(s),
    );
    const failedRows = text.split("\n").filter((l) => /^[› ] [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓✗■] /.test(l));
    for (const row of failedRows) expect(row).toMatch(/✗ FAILED/);
    keys(":");
    type("filter");
    keys("Enter");
    await waitForScreen(
      "the server filter to clear",
      (s) => !s.includes("filter state=") && /IN_PROGRESS/.test(s),
    );
  });

  it("terminates an IN_PROGRESS run through the dialog and follows it to TERMINATED", async () => {
    // Sorting by state puts IN_PROGRESS first.
    keys("S");
    await waitForText("sort state");
    keys("g");
    await waitForScreen("an IN_PROGRESS run selected", (s) => selectedLine(s).includes("IN_PROGRESS"));
    keys("t");
    let text = await waitForText("Terminate this job run?");
    expect(text).toMatch(/Name\s+projects\/demo-project\//);
    expect(text).toContain("State  IN_PROGRESS");
    keys("y");
    text = await waitForScreen("the row to show TERMINATING or TERMINATED", (s) =>
      /TERMINAT(ING|ED)/.test(selectedLine(s)),
    );
    await waitForScreen("the row to reach TERMINATED", (s) => /■ TERMINATED/.test(selectedLine(s)), 15_000);
  });

  it("quits with q and gives the terminal back", async () => {
    keys("q");
    // The shell creates the file before it writes the code into it: wait for the whole line.
    await waitForScreen(
      "jobrun to exit",
      () => existsSync(exitFile) && /^\d+\n$/.test(readFileSync(exitFile, "utf8")),
    );
    expect(readFileSync(exitFile, "utf8").trim()).toBe("0");
    // The alternate screen is gone: the UI is no longer on the pane.
    await waitForScreen("the main screen back", (s) => !s.includes("jobrun · demo"));
  });
});
