// The property suite of test/fuzz.test.ts, longer: FUZZ_RUNS hostile requests (default 100,000)
// against the real CLI in its own process, with the same promises (no 5xx, a google.rpc.Status on
// every error, each answer within the bound). Prints the slowest answers per kind and the ratio of
// the p99 to the baseline, a GET of one run measured in the same run.
// Run: pnpm -F @jobrun/proxy bench:fuzz (after pnpm -F @jobrun/proxy build).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
import fc from "fast-check";
import { killAll, startCli } from "../test/support/cli-process.js";
import {
  type Answer,
  brokenPromise,
  type HostileRequest,
  hostileFilter,
  hostileList,
  hostilePath,
  hostileTerminate,
  keepAliveAgent,
  send,
} from "../test/support/hostile-requests.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100_000);
const BOUND_MS = 3_000;

const fixture = conformanceFixture();
const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-fuzz-bench-"));
const data = join(dir, "runs.json");
writeFileSync(data, JSON.stringify({ jobRuns: fixture.jobRuns }));
const cli = await startCli(["--import", data, "--rate-limit", "0"]);
const base = new URL(cli.url);
const agent = keepAliveAgent();
const runNames = fixture.jobRuns
  .filter((r) => r.name!.startsWith(`${rollouts.terminate}/`))
  .map((r) => r.name!);
const finished = fixture.jobRuns.find((r) => r.state === "SUCCEEDED")!.name!;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function timeBaseline(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    times.push(
      (await send(base, agent, { method: "GET", target: `/v1/${finished}`, headers: {} }, BOUND_MS)).ms,
    );
  }
  return times.sort((a, b) => a - b);
}

const kinds: [string, fc.Arbitrary<HostileRequest>, number][] = [
  ["filters", hostileFilter, 0.25],
  ["listings", hostileList([]), 0.3],
  ["paths", hostilePath([]), 0.25],
  ["terminate bodies", hostileTerminate(runNames), 0.2],
];

try {
  const baseline = await timeBaseline();
  const baseP99 = percentile(baseline, 0.99);
  console.log(
    `baseline GET of one run: p50 ${percentile(baseline, 0.5).toFixed(2)} ms, p99 ${baseP99.toFixed(2)} ms`,
  );
  let failures = 0;
  for (const [kind, arbitrary, share] of kinds) {
    const slowest: { ms: number; req: HostileRequest }[] = [];
    const times: number[] = [];
    const count = Math.round(RUNS * share);
    for (const req of fc.sample(arbitrary, count)) {
      // Past a few failures the rest say nothing new (a blocked server fails every request after).
      if (failures >= 10) break;
      let answer: Answer;
      try {
        answer = await send(base, agent, req, BOUND_MS + 2_000);
      } catch (error) {
        failures += 1;
        console.log(`FAIL ${req.method} ${req.target}: ${(error as Error).message}`);
        continue;
      }
      times.push(answer.ms);
      const broken = brokenPromise(req, answer, BOUND_MS);
      if (broken !== undefined) {
        failures += 1;
        console.log(`FAIL ${req.method} ${req.target} ${req.body ?? ""}: ${broken}`);
      }
      slowest.push({ ms: answer.ms, req });
      slowest.sort((a, b) => b.ms - a.ms);
      slowest.length = Math.min(slowest.length, 3);
    }
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 0.99);
    console.log(
      `${kind}: ${count} requests, p50 ${percentile(times, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms ` +
        `(${(p99 / baseP99).toFixed(2)}× the baseline's p99), max ${(times.at(-1) ?? 0).toFixed(1)} ms`,
    );
    for (const { ms, req } of slowest)
      console.log(`  ${ms.toFixed(1)} ms  ${req.method} ${req.target.slice(0, 160)}`);
  }
  console.log(failures === 0 ? "no promise broken" : `${failures} broken promises`);
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  agent.destroy();
  killAll();
}
