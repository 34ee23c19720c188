// Performance of `jobrun` (not part of the test suite): `pnpm -F @jobrun/tui bench`.
// Each figure is printed as measured, with a ratio against a baseline measured in the same run.
//   1. key press → next frame with 10 000 runs loaded (baseline: the same with 100 runs);
//   2. RSS with 10 000 runs loaded (baseline: RSS before loading them);
//   3. first frame of the demo after start (baseline: a bare `node` printing one line), in a pty.
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type JobRun, JobRun_State, JobRunSchema } from "@jobrun/core";
import { createEmulator, createManualClock } from "@jobrun/emulator";
import { render } from "ink";
import { createElement } from "react";
import { createSession } from "../src/session.js";
import { initialState } from "../src/state/state.js";
import { createStore } from "../src/state/store.js";
import { createTheme } from "../src/theme.js";
import { App } from "../src/views/App.js";

const NOW = Date.UTC(2025, 0, 1);

function runs(count: number): JobRun[] {
  const states = [
    JobRun_State.SUCCEEDED,
    JobRun_State.FAILED,
    JobRun_State.IN_PROGRESS,
    JobRun_State.TERMINATED,
  ];
  return Array.from({ length: count }, (_, i) =>
    create(JobRunSchema, {
      name: `projects/bench/locations/us-central1/deliveryPipelines/web/releases/r${i % 50}/rollouts/r${i % 50}-to-prod-0001/jobRuns/${String(i).padStart(8, "0")}`,
      jobId: `job-${i}`,
      phaseId: "stable",
      state: states[i % states.length] ?? JobRun_State.SUCCEEDED,
      createTime: timestampFromMs(NOW - i * 1000),
      startTime: timestampFromMs(NOW - i * 1000 + 10),
      jobRun: { case: "deployJobRun", value: { build: "b", failureCause: 0, failureMessage: "" } as never },
    }),
  );
}

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 160;
  readonly rows = 45;
  onWrite: (() => void) | undefined;
  write(_chunk: string): boolean {
    this.onWrite?.();
    return true;
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(data: string) {
    this.data = data;
    this.emit("readable");
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Median and p99 of key press → frame written, over `presses` j/k presses, with `count` runs loaded. */
async function keyToFrame(count: number, presses: number): Promise<{ median: number; p99: number }> {
  const clock = createManualClock(NOW);
  const service = createEmulator({ clock, demo: false });
  const store = createStore(
    initialState({
      parent: "projects/bench/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
      size: { columns: 160, rows: 45 },
    }),
  );
  const session = createSession({
    service,
    store,
    clock,
    clipboard: () => {},
    refreshSeconds: 0,
    onQuit: () => {},
  });
  store.dispatch({ type: "loaded", runs: runs(count), nextPageToken: "", atMs: NOW, append: false });
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const app = render(
    createElement(App, {
      store,
      session,
      theme: createTheme(true),
      now: () => NOW,
      source: "bench",
      trackResize: false,
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
    },
  );
  await sleep(50);
  const samples: number[] = [];
  for (let i = 0; i < presses; i++) {
    const frame = new Promise<void>((resolve) => {
      stdout.onWrite = resolve;
    });
    const start = performance.now();
    stdin.press(i % 40 < 20 ? "j" : "k");
    await frame;
    samples.push(performance.now() - start);
    stdout.onWrite = undefined;
    // Well past Ink's 60 fps throttle window, so each press starts from an idle renderer.
    await sleep(40);
  }
  app.unmount();
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Milliseconds from spawning `command` in a pseudo-terminal until its output contains `marker`. */
function timeToOutput(command: string, marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const appDir = fileURLToPath(new URL("..", import.meta.url));
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: appDir,
      // Ink draws only a last frame when CI is set at all (even empty): a user's terminal is not CI.
      env: Object.fromEntries(
        Object.entries(process.env).filter(([key]) => key !== "CI" && key !== "CONTINUOUS_INTEGRATION"),
      ),
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no "${marker}" within 10 s; output: ${output.slice(-500)}`));
    }, 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(marker)) {
        const elapsed = performance.now() - start;
        clearTimeout(timer);
        child.kill("SIGTERM");
        resolve(elapsed);
      }
    });
    child.on("error", reject);
  });
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  const presses = 300;
  const small = await keyToFrame(100, presses);
  const rssBefore = process.memoryUsage().rss;
  const large = await keyToFrame(10_000, presses);
  const rssAfter = process.memoryUsage().rss;
  console.log(
    `key press → next frame, 10 000 runs: median ${fmt(large.median)} (budget 16 ms), p99 ${fmt(large.p99)} (budget 50 ms)`,
  );
  console.log(
    `  baseline, 100 runs:               median ${fmt(small.median)}, p99 ${fmt(small.p99)}; ratio median ×${(large.median / small.median).toFixed(2)}, p99 ×${(large.p99 / small.p99).toFixed(2)}`,
  );
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  console.log(
    `RSS with 10 000 runs loaded: ${mb(rssAfter)} (budget 200 MB); baseline before loading them ${mb(rssBefore)}, ratio ×${(rssAfter / rssBefore).toFixed(2)}`,
  );
  const bare = await timeToOutput(
    `stty cols 150 rows 40; exec node -e "process.stdout.write('ready')"`,
    "ready",
  );
  const demo = await timeToOutput("stty cols 150 rows 40; exec node dist/cli.js", "updated ");
  console.log(
    `first frame of the demo: ${fmt(demo)} after start (budget 1000 ms); baseline bare node ${fmt(bare)}, ratio ×${(demo / bare).toFixed(2)}`,
  );
  const ok = large.median <= 16 && large.p99 <= 50 && rssAfter <= 200 * 2 ** 20 && demo <= 1000;
  console.log(ok ? "all within budget" : "OVER BUDGET");
  process.exitCode = ok ? 0 : 1;
}

await main();
