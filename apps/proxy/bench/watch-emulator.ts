// The live watch on the emulator backend, the real CLI in its own process and the load (N watch
// streams) in another: how long a change takes to reach every watcher, and what each watcher costs
// the proxy in memory. Ratios against baselines measured in the same run: fan-out p99 at N watchers
// against 1 watcher, and RSS with N watchers against none.
// Run: pnpm -F @jobrun/proxy bench:watch-emulator (after pnpm -F @jobrun/proxy build). WATCHERS=1000 by default.

import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listeningAddress } from "./listening-address.js";

const WATCHERS = Number(process.env.WATCHERS ?? 1000);
const CHANGES = 20; // terminates measured per configuration
const WARMUP = 10; // terminates before anything is measured
// Runs in the watched rollout: every watcher's initial state. A big rollout; each terminate uses one.
const RUNS = WARMUP + 2 * CHANGES + 10;
const ROLLOUT =
  "projects/bench/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const now = () => performance.timeOrigin + performance.now();

function runJson(i: number) {
  return {
    name: `${ROLLOUT}/jobRuns/run-${i}`,
    jobId: "deploy",
    phaseId: "stable",
    state: "IN_PROGRESS",
    createTime: "2025-03-01T00:00:00Z",
    deployJobRun: { build: `projects/1/locations/us-central1/builds/b-${i}` },
  };
}

async function startProxy(): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "jobrun-watch-bench-"));
  const file = join(dir, "runs.json");
  writeFileSync(file, JSON.stringify({ jobRuns: Array.from({ length: RUNS }, (_, i) => runJson(i)) }));
  const bin = new URL("../bin/jobrun-proxy.js", import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      bin,
      "--port",
      "0",
      "--import",
      file,
      "--watch-max-per-caller",
      "0",
      "--max-connections",
      String(WATCHERS + 100),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const url = await listeningAddress(child);
  return { child, url };
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/** Sends `message` (unless `send` is false) and resolves with the value of the next reply holding `key`. */
function ask<T>(load: ChildProcess, message: object, key: string, send = true): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return;
      load.off("message", onMessage);
      resolve(reply[key] as T);
    };
    load.on("message", onMessage);
    if (send) load.send(message);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Terminates runs one at a time; the delay from each terminate's start to each watcher's event. */
async function fanOut(
  url: string,
  load: ChildProcess,
  watchers: number,
  first: number,
  count = CHANGES,
): Promise<number[]> {
  const delays: number[] = [];
  for (let i = first; i < first + count; i += 1) {
    const name = `${ROLLOUT}/jobRuns/run-${i}`;
    // The terminate goes only once the load generator has taken the new label: an event that beat
    // the label to it was dropped, and that run's TERMINATED (seconds later) was timed instead.
    const expecting = ask<string>(load, { expect: { label: `run-${i}"`, count: watchers } }, "expecting");
    const arrivals = ask<number[]>(load, {}, "arrivals", false);
    await expecting;
    const start = now();
    const answer = await fetch(`${url}/v1/${name}:terminate`, { method: "POST" });
    if (answer.status !== 200) throw new Error(`terminate answered ${answer.status}`);
    const seen = await arrivals;
    if (seen.length < watchers) throw new Error(`only ${seen.length} of ${watchers} watchers saw ${name}`);
    for (const at of seen) delays.push(at - start);
  }
  return delays;
}

async function main(): Promise<void> {
  const { child, url } = await startProxy();
  const load = fork(new URL("./watch-load.mjs", import.meta.url).pathname, { stdio: "inherit" });
  await new Promise((resolve) => load.once("message", resolve));
  const watchUrl = `${url}/v1/${ROLLOUT}/jobRuns:watch`;
  try {
    // Baseline: one watcher, after a warm-up.
    await ask(load, { open: { url: watchUrl, count: 1 } }, "opened");
    await fanOut(url, load, 1, 0, WARMUP);
    const single = await fanOut(url, load, 1, WARMUP);
    await ask(load, { close: true }, "closed");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idleRss = rssKb(child.pid as number);

    await ask(load, { open: { url: watchUrl, count: WATCHERS } }, "opened");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const watchedRss = rssKb(child.pid as number);
    const many = await fanOut(url, load, WATCHERS, WARMUP + CHANGES);
    const p99One = percentile(single, 99);
    const p99Many = percentile(many, 99);
    console.log(
      `watch fan-out on the emulator backend (real CLI; load in its own process), ${RUNS} runs in the rollout, ${CHANGES} terminates each`,
    );
    console.log(
      `  1 watcher:        p50 ${percentile(single, 50).toFixed(1)} ms, p99 ${p99One.toFixed(1)} ms`,
    );
    console.log(
      `  ${WATCHERS} watchers: p50 ${percentile(many, 50).toFixed(1)} ms, p99 ${p99Many.toFixed(1)} ms, max ${Math.max(...many).toFixed(1)} ms (terminate sent → event read by every watcher; target p99 ≤ 100 ms)`,
    );
    console.log(`  p99 ratio ${WATCHERS} : 1 = ${(p99Many / p99One).toFixed(2)}`);
    console.log(
      `proxy RSS: ${(idleRss / 1024).toFixed(1)} MiB with no watcher, ${(watchedRss / 1024).toFixed(1)} MiB with ${WATCHERS} (ratio ${(watchedRss / idleRss).toFixed(2)}); ${((watchedRss - idleRss) / WATCHERS).toFixed(1)} KB per watcher (target ≤ 20 KB)`,
    );
  } finally {
    await ask(load, { close: true }, "closed");
    load.kill();
    child.kill("SIGTERM");
  }
}

await main();
