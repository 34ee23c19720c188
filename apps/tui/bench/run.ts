// Performance of `jobrun` (not part of the test suite): `pnpm -F @jobrun/tui bench`.
// Each figure is printed as measured, with a ratio against a baseline measured in the same run.
// Every measurement runs the built dist in its own plain `node` process (bench/*.mjs), with the
// runtime settings and Ink options of the binary, so neither tsx nor another measurement counts:
//   1. key press → the frame showing it, 10 000 runs loaded (baseline: the same with 100 runs);
//   2. RSS with 10 000 runs loaded (baseline: the same process before loading them);
//   3. first frame of the demo after start, in a pty with CI=true, through the bin as users run it
//      (baseline: a bare `node` printing one line; the unbundled entry shown beside it).
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = 3;
const FIRST_FRAME_ROUNDS = 5;

/** Runs `node bench/<script> ...args` and parses the JSON line it prints. */
function measure<T>(script: string, ...args: string[]): T {
  const out = execFileSync("node", [`bench/${script}`, ...args], {
    cwd: appDir,
    encoding: "utf8",
    // Ink restores the cursor on stderr at exit; a failure still shows it (in the thrown error).
    stdio: ["ignore", "pipe", "pipe"],
  });
  const line = out.split("\n").find((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`bench/${script} printed no result: ${out}`);
  return JSON.parse(line) as T;
}

/** Milliseconds from spawning `command` in a pseudo-terminal until its output contains `marker`. */
function timeToOutput(command: string, marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: appDir,
      // CI set on purpose: jobrun must draw its frames in a terminal whatever CI says.
      env: { ...process.env, CI: "true" },
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

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const list = (values: readonly number[], unit: (v: number) => string) => values.map(unit).join(", ");

async function main(): Promise<void> {
  // Measure the binary as built from this source.
  execFileSync("pnpm", ["run", "build"], { cwd: appDir, stdio: "ignore" });

  interface Latency {
    readonly median: number;
    readonly p99: number;
  }
  const large: Latency[] = [];
  const small: Latency[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    small.push(measure<Latency>("key-to-frame.mjs", "100", "300"));
    large.push(measure<Latency>("key-to-frame.mjs", "10000", "300"));
  }
  const largeMedian = median(large.map((r) => r.median));
  const largeP99 = median(large.map((r) => r.p99));
  const smallMedian = median(small.map((r) => r.median));
  const smallP99 = median(small.map((r) => r.p99));
  console.log(
    `key press → frame, 10 000 runs (median of ${ROUNDS} processes): median ${ms(largeMedian)} (budget 16 ms), p99 ${ms(largeP99)} (budget 50 ms)`,
  );
  console.log(
    `  each process: median ${list(
      large.map((r) => r.median),
      ms,
    )}; p99 ${list(
      large.map((r) => r.p99),
      ms,
    )}`,
  );
  console.log(
    `  baseline, 100 runs: median ${ms(smallMedian)}, p99 ${ms(smallP99)}; ratio median ×${(largeMedian / smallMedian).toFixed(2)}, p99 ×${(largeP99 / smallP99).toFixed(2)}`,
  );

  const memory = measure<{ before: number; after: number; loaded: number }>("memory.mjs", "10000");
  console.log(
    `RSS with ${memory.loaded} runs loaded: ${mb(memory.after)} (budget 200 MB); baseline before loading them ${mb(memory.before)}, ratio ×${(memory.after / memory.before).toFixed(2)}`,
  );

  // The binary as users start it (bin/jobrun.js → the bundled dist/jobrun.mjs), the unbundled
  // entry beside it, and bare node, alternating round by round so a noisy neighbour hits all alike.
  const bare: number[] = [];
  const demo: number[] = [];
  const unbundled: number[] = [];
  for (let i = 0; i < FIRST_FRAME_ROUNDS; i++) {
    bare.push(
      await timeToOutput(`stty cols 150 rows 40; exec node -e "process.stdout.write('ready')"`, "ready"),
    );
    demo.push(await timeToOutput("stty cols 150 rows 40; exec node bin/jobrun.js", "updated "));
    unbundled.push(await timeToOutput("stty cols 150 rows 40; exec node dist/cli.js", "updated "));
  }
  const demoMedian = median(demo);
  const bareMedian = median(bare);
  const unbundledMedian = median(unbundled);
  console.log(
    `first frame of the demo (median of ${FIRST_FRAME_ROUNDS}, CI=true): ${ms(demoMedian)} after start (budget 300 ms); each ${list(demo, ms)}; baseline bare node ${ms(bareMedian)}, ratio ×${(demoMedian / bareMedian).toFixed(2)}; unbundled dist/cli.js ${ms(unbundledMedian)} (×${(unbundledMedian / bareMedian).toFixed(2)})`,
  );

  const ok = largeMedian <= 16 && largeP99 <= 50 && memory.after <= 200 * 2 ** 20 && demoMedian <= 300;
  console.log(ok ? "all within budget" : "OVER BUDGET");
  process.exitCode = ok ? 0 : 1;
}

await main();
