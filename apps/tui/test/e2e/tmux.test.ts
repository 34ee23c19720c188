// The real `jobrun` binary in a real terminal (tmux): start on the demo, move, open details,
// filter, copy, terminate through the dialog, quit, and read the screen after each step; and the
// printed listing of 10,000 runs through a pipe. Every wait waits for a state (a screen, a file's
// whole content), never for a time.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeJson, ListJobRunsResponseSchema } from "@jobrun/core";
import { createEmulator } from "@jobrun/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manyRuns } from "../support/fixtures.js";

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
  read: () => string = screen,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = read();
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

/** A file's content once it holds a whole last line (a shell creates a file before writing to it). */
function readWhole(path: string): () => string {
  return () => {
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    return text.endsWith("\n") ? text : "";
  };
}

/** The column titles line of the list. */
const titlesLine = (text: string) => text.split("\n").find((l) => l.startsWith("  STATE")) ?? "";

// A Cloud Deploy REST endpoint (Google's server, played by the emulator) holding 10,000 runs, for
// the printed listing through a pipe.
let endpoint = "";
let server: Server | undefined;
function startEndpoint(): Promise<void> {
  const emulator = createEmulator({ demo: false, jobRuns: { jobRuns: manyRuns(10_000) } });
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const parent = decodeURIComponent(url.pathname.replace(/^\/v1\//, "").replace(/\/jobRuns$/, ""));
    emulator
      .listJobRuns({
        parent,
        pageSize: Number(url.searchParams.get("pageSize") ?? 0),
        pageToken: url.searchParams.get("pageToken") ?? "",
        filter: url.searchParams.get("filter") ?? "",
        orderBy: url.searchParams.get("orderBy") ?? "",
      })
      .then(
        (page) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(encodeJson(ListJobRunsResponseSchema, page)));
        },
        (error: unknown) => {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(
            JSON.stringify({ error: { code: 400, status: "INVALID_ARGUMENT", message: String(error) } }),
          );
        },
      );
  });
  server = http;
  return new Promise((resolve) =>
    http.listen(0, "127.0.0.1", () => {
      endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  await startEndpoint();
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
  const command = `env CI=true CONTINUOUS_INTEGRATION=true TERM=xterm-256color node bin/jobrun.js --refresh 1; echo $? > ${exitFile}`;
  tmux("-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "160", "-y", "40", "-c", appDir, command);
  tmux("set-option", "-t", target, "remain-on-exit", "on");
  tmux("set-option", "-s", "escape-time", "0");
}, 60_000);

afterAll(() => {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
  server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("jobrun in a terminal", () => {
  it("starts on the demo with a header and live rows", async () => {
    // The first start compiles nothing but loads a lot on a busy machine: allow it time.
    const text = await waitForScreen("the first frame", (s) => /updated \d\d:\d\d:\d\d/.test(s), 30_000);
    expect(text).toContain(
      "jobrun · demo (embedded emulator) · demo-project › all locations › all pipelines › all releases › all rollouts",
    );
    expect(text).toMatch(/\d+ IN_PROGRESS/);
    // The embedded emulator has a watch: the list keeps up live, not on the --refresh timer.
    await waitForScreen("the live marker", (s) => /updated \d\d:\d\d:\d\d · live/.test(s));
  });

  it("shows every context column at 160 columns and keeps state, pipeline, rollout, job and age at 80", async () => {
    let text = await waitForScreen("the column titles", (s) => titlesLine(s) !== "");
    expect(titlesLine(text)).toMatch(
      /^ {2}STATE\s+PIPELINE\s+RELEASE\s+ROLLOUT\s+PHASE\s+JOB\s+KIND\s+AGE↓\s+DURATION\s+FAILURE$/,
    );
    tmux("resize-window", "-t", target, "-x", "80");
    text = await waitForScreen("the 80-column layout", (s) => titlesLine(s).endsWith("AGE↓"));
    expect(titlesLine(text)).toMatch(/^ {2}STATE\s+PIPELINE\s+ROLLOUT\s+JOB\s+AGE↓$/);
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    tmux("resize-window", "-t", target, "-x", "160");
    await waitForScreen("the 160-column layout", (s) => titlesLine(s).includes("FAILURE"));
  });

  it("moves the selection with j and k", async () => {
    // The demo adds runs at the top as it goes, so rows are told apart by their text from PIPELINE
    // up to AGE (state and age change as runs move), not by their place on the screen.
    const before = screen();
    const from = titlesLine(before).indexOf("PIPELINE");
    const ageAt = titlesLine(before).indexOf("AGE");
    const identity = (line: string) => line.slice(from, ageAt).trimEnd();
    const rows = before.split("\n").filter((l) => /^[› ] \S /.test(l));
    const at = rows.findIndex((l) => l.startsWith("›"));
    const [next, afterNext] = [rows[at + 1] ?? "", rows[at + 2] ?? ""].map(identity);
    keys("j", "j");
    await waitForScreen("the selection two rows down", (s) => identity(selectedLine(s)) === afterNext);
    keys("k");
    await waitForScreen("the selection one row back", (s) => identity(selectedLine(s)) === next);
    expect(next).not.toBe("");
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
    // A capture can land between two of ink's writes (the demo keeps moving), so the screen is
    // awaited until it is whole: the filter in the title and only rows that mention "verify".
    const rowsOn = (screen: string) => screen.split("\n").filter((l) => /^[› ] [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓✗■] /.test(l));
    let text = await waitForScreen(
      "only rows that mention verify",
      (s) =>
        s.includes("· /verify") && rowsOn(s).length > 0 && rowsOn(s).every((row) => row.includes("verify")),
    );
    expect(rowsOn(text).length).toBeGreaterThan(0);
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
    // The demo runs in real time: the run at the top can finish between two keys (a CI machine's
    // pauses make that likelier). Then jobrun says so (the selection follows the run, `t` explains
    // that only an IN_PROGRESS run can be terminated, or Google's refusal is shown) and the test
    // takes the new top run, at most three times.
    for (let attempt = 1; ; attempt += 1) {
      const retry = (what: string) => {
        if (attempt >= 3) throw new Error(`${what} on three attempts`);
        keys("Escape");
      };
      keys("g");
      const top = await waitForScreen("a run selected", (s) => selectedLine(s) !== "");
      if (!selectedLine(top).includes("IN_PROGRESS")) {
        retry("the top run was no longer IN_PROGRESS");
        continue;
      }
      keys("t");
      let text = await waitForScreen(
        "the dialog, or why there is none",
        (s) =>
          s.includes("Terminate this job run?") || s.includes("Only an IN_PROGRESS run can be terminated"),
      );
      if (!text.includes("Terminate this job run?")) {
        retry("the run finished before t");
        continue;
      }
      expect(text).toMatch(/Name\s+projects\/demo-project\//);
      expect(text).toMatch(/Where {2}pipeline \S+ › release \S+ › rollout \S+ \(\S+\)/);
      expect(text).toMatch(/Job {4}\S+ in phase \S+/);
      expect(text).toMatch(/Kind {3}[A-Z]/);
      expect(text).toContain("State  IN_PROGRESS");
      expect(text).toContain("y yes, terminate · n/Enter/Esc no, keep it running (default)");
      keys("y");
      text = await waitForScreen(
        "the row to show TERMINATING or TERMINATED, or the refusal",
        (s) => /TERMINAT(ING|ED)/.test(selectedLine(s)) || s.includes("Cannot terminate"),
      );
      if (!/TERMINAT(ING|ED)/.test(selectedLine(text))) {
        retry("the run finished before y");
        continue;
      }
      break;
    }
    await waitForScreen("the row to reach TERMINATED", (s) => /■ TERMINATED/.test(selectedLine(s)), 15_000);
  });

  it("copies the selected run's name into tmux's paste buffer, and says so", async () => {
    keys("c");
    await waitForText("Copied the name to tmux's paste buffer");
    expect(tmux("show-buffer")).toMatch(/^projects\/demo-project\/locations\/[^/]+\/deliveryPipelines\//);
  });

  it("quits with q and gives the terminal back", async () => {
    keys("q");
    // The shell creates the file before it writes the code into it: wait for the whole line.
    await waitForScreen("jobrun to exit", (code) => /^\d+\n$/.test(code), 10_000, readWhole(exitFile));
    expect(readFileSync(exitFile, "utf8").trim()).toBe("0");
    // The alternate screen is gone: the UI is no longer on the pane.
    await waitForScreen("the main screen back", (s) => !s.includes("jobrun · demo"));
  });
});

describe("jobrun printing through a pipe", () => {
  it("hands a 10,000-run JSON listing whole to a reader (node -e JSON.parse) and exits 0", async () => {
    const result = join(workDir, "pipe-json");
    const script = join(workDir, "pipe-json.sh");
    writeFileSync(
      script,
      `node bin/jobrun.js --endpoint ${endpoint} --project acme -o json 2>${result}.err | ` +
        `node -e 'let t="";process.stdin.on("data",(d)=>{t+=d}).on("end",()=>process.stdout.write(JSON.parse(t).jobRuns.length+"\\n"))' > ${result}.count\n` +
        `echo "\${PIPESTATUS[*]}" > ${result}\n`,
    );
    tmux("new-window", "-d", "-t", target, "-c", appDir, `bash ${script}`);
    const codes = await waitForScreen("the pipe to finish", (t) => t !== "", 60_000, readWhole(result));
    expect(codes.trim()).toBe("0 0");
    expect(readFileSync(`${result}.count`, "utf8").trim()).toBe("10000");
    expect(readFileSync(`${result}.err`, "utf8")).toBe("");
  });

  it("ends quietly when the reader stops early (| head)", async () => {
    const result = join(workDir, "pipe-head");
    tmux(
      "new-window",
      "-d",
      "-t",
      target,
      "-c",
      appDir,
      `bash -c 'node bin/jobrun.js --endpoint ${endpoint} --project acme -o table 2>${result}.err | head -n 2 > ${result}.out; echo "\${PIPESTATUS[*]}" > ${result}'`,
    );
    const codes = await waitForScreen("the pipe to finish", (t) => t !== "", 60_000, readWhole(result));
    expect(codes.trim()).toBe("0 0");
    expect(readFileSync(`${result}.out`, "utf8").split("\n")[0]).toMatch(/^STATE\s+KIND/);
    expect(readFileSync(`${result}.err`, "utf8")).toBe("");
  });
});
