// The kill -9 rounds of test/crash.test.ts, longer: CRASH_ROUNDS rounds (default 500) of the real CLI
// on one --data file, each killed at a random moment among concurrent terminates. Prints what was
// acknowledged and lost (must be 0), whether the file ever failed to parse (must not), and the answer
// time of a durable terminate against the baseline measured in the same run: the same terminates,
// same waves, against the CLI without --data (in memory only). A separate CLI process serves each.
// Run: pnpm -F @jobrun/proxy bench:crash (after pnpm -F @jobrun/proxy build). CRASH_SEED replays a run.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll, startCli } from "../test/support/cli-process.js";
import { crashRounds } from "../test/support/crash-rounds.js";

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 500);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
const BASELINE_TERMINATES = 2_000;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** In-memory terminates in waves of 1–8, as the crash rounds send them: the baseline. */
async function baselineLatencies(dir: string): Promise<number[]> {
  const rollout = "projects/crash/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
  const names = Array.from({ length: BASELINE_TERMINATES }, (_, i) => `${rollout}/jobRuns/base-${i}`);
  const file = join(dir, "baseline.json");
  writeFileSync(file, JSON.stringify({ jobRuns: names.map((name) => ({ name, state: "IN_PROGRESS" })) }));
  const cli = await startCli(["--import", file]);
  const times: number[] = [];
  try {
    await (await fetch(`${cli.url}/v1/${names[0]}`)).arrayBuffer();
    for (let at = 0, wave = 0; at < names.length; wave++) {
      const size = 1 + (wave % 8);
      await Promise.all(
        names.slice(at, at + size).map(async (name) => {
          const started = performance.now();
          const response = await fetch(`${cli.url}/v1/${name}:terminate`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`baseline terminate answered ${response.status}`);
          times.push(performance.now() - started);
        }),
      );
      at += size;
    }
  } finally {
    cli.child.kill("SIGKILL");
    await cli.exit;
  }
  return times.sort((a, b) => a - b);
}

try {
  const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-crash-bench-"));
  const baseline = await baselineLatencies(dir);
  const started = performance.now();
  const result = await crashRounds({ rounds: ROUNDS, dir, seed: SEED });
  const seconds = (performance.now() - started) / 1000;
  const durable = [...result.latenciesMs].sort((a, b) => a - b);
  const fmt = (sorted: readonly number[]) =>
    `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms`;
  console.log(
    `jobrun-proxy --data under kill -9: ${result.rounds} rounds in ${seconds.toFixed(0)} s (seed ${SEED}, Node ${process.version})`,
  );
  console.log(`  acknowledged terminates: ${result.acknowledged}; cut off by a kill: ${result.unanswered}`);
  console.log(`  lost after a kill:       ${result.lost.length}`);
  console.log(`  unreadable data files:   ${result.unreadable.length}`);
  console.log(`  in memory (baseline):    ${fmt(baseline)}  (${baseline.length} terminates)`);
  console.log(
    `  durable (--data):        ${fmt(durable)}  ratio p50 ${(percentile(durable, 0.5) / percentile(baseline, 0.5)).toFixed(1)}x, p99 ${(percentile(durable, 0.99) / percentile(baseline, 0.99)).toFixed(1)}x`,
  );
  for (const line of [...result.lost, ...result.unreadable].slice(0, 10)) console.log(`  FAIL ${line}`);
  process.exitCode = result.lost.length === 0 && result.unreadable.length === 0 ? 0 : 1;
} finally {
  killAll();
}
