// tuneHeap (src/startup/runtime.ts) stops the young generation growing at Node 20's size. Node 24's
// V8 lets it grow to four times that, and the UI's frames drove it there: 280 MB of RSS with 10 000
// runs loaded. Each case runs in a node of its own (V8's flags are the whole process's), started
// with a young-generation maximum of Node 24's size whichever node runs the tests, so the cap is
// what holds it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAX_YOUNG_GENERATION_BYTES } from "../src/startup/runtime.js";

const runtime = new URL("../dist/startup/runtime.js", import.meta.url).href;

/**
 * Runs `code` after importing the built runtime settings (as `tuneHeap`) in a fresh node whose
 * young generation may grow to 128 MiB, and parses the JSON line it prints.
 */
function run(code: string): { largest: number; settled: number; exitedAfterMs: number } {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      "--max-semi-space-size=64",
      "--input-type=module",
      "-e",
      `import { tuneHeap } from ${JSON.stringify(runtime)};\n${code}`,
    ],
    { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)), timeout: 60_000 },
  );
  expect(result.stderr).toBe("");
  return { ...JSON.parse(result.stdout), exitedAfterMs: performance.now() - started };
}

/**
 * Keeps a ring of 50 000 small objects turning over: most survive a collection or two, as a frame's
 * do. Prints the young generation's largest size and the size it settled at (the median of the last
 * 100 rounds): Node 24's V8 holds a few pages more for a moment during a collection (32.25, 34.25,
 * 36.5 MiB seen under a 32 MiB cap), then gives them back.
 */
const churn = `
  import { getHeapSpaceStatistics } from "node:v8";
  const youngBytes = () => getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size;
  const ring = new Array(50_000);
  const sizes = [];
  let next = 0;
  for (let round = 0; round < 300; round++) {
    for (let k = 0; k < 20_000; k++) ring[next++ % ring.length] = { round, items: [k, k + 1, k + 2] };
    sizes.push(youngBytes());
    await new Promise((resolve) => setImmediate(resolve));
  }
  const last = sizes.slice(-100).sort((a, b) => a - b);
  console.log(JSON.stringify({ largest: Math.max(...sizes), settled: last[50] }));
`;

/** How far over the cap the settled size may be: V8 sizes the space in pages (256 KiB). */
const PAGE_ROUNDING_BYTES = 1024 * 1024;

describe("the young generation's cap", () => {
  it("lets garbage grow the young generation to the cap and no further", () => {
    const { largest, settled } = run(`tuneHeap();\n${churn}`);
    expect(settled).toBeGreaterThanOrEqual(MAX_YOUNG_GENERATION_BYTES);
    expect(settled).toBeLessThanOrEqual(MAX_YOUNG_GENERATION_BYTES + PAGE_ROUNDING_BYTES);
    // A collection's extra pages for a moment, never another doubling (64 MiB).
    expect(largest).toBeLessThan(MAX_YOUNG_GENERATION_BYTES * 1.5);
  });

  it("is what holds it: the same garbage without tuneHeap grows it past the cap", () => {
    // At least one doubling past the cap (128 MiB seen on Node 20 and Node 24).
    expect(run(churn).settled).toBeGreaterThanOrEqual(MAX_YOUNG_GENERATION_BYTES * 2);
  });

  it("does not keep a process alive that never reaches the cap", () => {
    const { exitedAfterMs } = run(`tuneHeap();\nconsole.log(JSON.stringify({ largest: 0, settled: 0 }));`);
    expect(exitedAfterMs).toBeLessThan(5_000);
  });
});
