// Key press → the frame that shows it, with N runs loaded: `node bench/key-to-frame.mjs N PRESSES`.
// Prints {"median":…,"p99":…} in ms. Timing starts when the key is written to stdin and stops when
// Ink writes the frame whose selected row is the expected one (not merely any write). Presses come
// at irregular intervals, so some land just after a spinner frame or during a refresh, as a
// person's do.
import "./runtime.mjs";
import { stripVTControlCharacters } from "node:util";
import { benchRuns, sleep } from "./support.mjs";
import { startUi } from "./ui.mjs";

const count = Number(process.argv[2] ?? 10_000);
const presses = Number(process.argv[3] ?? 300);

/** Whether `chunk` is a frame whose selected row ("› …") shows job `jobId`. */
function showsSelected(chunk, jobId) {
  const line = stripVTControlCharacters(chunk)
    .split("\n")
    .find((l) => l.startsWith("› "));
  return line?.includes(`  ${jobId} `) ?? false;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// A fixed pseudo-random sequence (LCG), so runs are comparable.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const ui = startUi(benchRuns(count, Date.now()));
await ui.session.idle();
await sleep(300);
const samples = [];
let cursor = 0;
for (let i = 0; i < presses; i++) {
  const down = i % 40 < 20;
  cursor += down ? 1 : -1;
  const expected = ui.store.getState().rows[cursor]?.jobId;
  const frame = new Promise((resolve) => {
    ui.stdout.onWrite = (chunk) => {
      if (showsSelected(chunk, expected)) resolve(performance.now());
    };
  });
  const start = performance.now();
  ui.stdin.press(down ? "j" : "k");
  samples.push((await frame) - start);
  ui.stdout.onWrite = undefined;
  // 10–60 ms apart: faster than key repeat at times, idle at others.
  await sleep(10 + random() * 50);
}
ui.stop();
samples.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ median: percentile(samples, 50), p99: percentile(samples, 99) })}\n`,
);
process.exit(0);
