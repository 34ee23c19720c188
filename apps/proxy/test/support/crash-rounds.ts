// Kill -9 rounds against the real CLI on one --data file (issue 10.8), shared by test/crash.test.ts
// and bench/crash.ts. Each round starts `jobrun-proxy --backend emulator --data FILE`, fires waves of
// concurrent terminates at runs still IN_PROGRESS, and sends SIGKILL at a random moment. Before the
// next start the file must parse and hold every terminate that got a 200 as TERMINATING or
// TERMINATED; at the end a fresh process serves them so over HTTP too.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningCli, startCli } from "./cli-process.js";

export interface CrashRoundsOptions {
  readonly rounds: number;
  /** A directory of its own for the data and import files. */
  readonly dir: string;
  /** Seed of the kill moments and wave sizes; printed with any failure to replay it. */
  readonly seed: number;
  /** Terminates fired per round at most (fresh runs each round). Default 40. */
  readonly runsPerRound?: number;
  /**
   * The latest kill moment after the waves start, in answers of the round's first terminate (sent
   * alone, so its time is one write's). Default 4: kills land before, during and after writes whether
   * a write takes 10 ms on an idle disk or 300 ms on a shared one.
   */
  readonly maxKillDelay?: number;
}

export interface CrashRoundsResult {
  readonly rounds: number;
  /** Terminates answered 200 before the kill (one per round is sent alone, before the waves). */
  readonly acknowledged: number;
  /** Terminates sent but cut off by the kill (no answer): either outcome is allowed for them. */
  readonly unanswered: number;
  /** Acknowledged terminates missing from the file or the restarted server: must be empty. */
  readonly lost: readonly string[];
  /** Rounds after which the file did not parse: must be empty. */
  readonly unreadable: readonly string[];
  /** Answer times of acknowledged terminates, in ms. */
  readonly latenciesMs: readonly number[];
}

const ROLLOUT = "projects/crash/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
const KEPT = new Set(["TERMINATING", "TERMINATED"]);

/** A small seeded generator (mulberry32): the same seed gives the same kill moments. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function crashRounds(options: CrashRoundsOptions): Promise<CrashRoundsResult> {
  const perRound = options.runsPerRound ?? 40;
  const maxKillDelay = options.maxKillDelay ?? 4;
  const next = random(options.seed);
  const importFile = join(options.dir, "import.json");
  const data = join(options.dir, "data.json");
  const names = Array.from(
    { length: options.rounds * perRound },
    (_, i) => `${ROLLOUT}/jobRuns/run-${String(i).padStart(6, "0")}`,
  );
  writeFileSync(
    importFile,
    JSON.stringify({
      jobRuns: names.map((name) => ({ name, state: "IN_PROGRESS", createTime: "2025-01-01T00:00:00Z" })),
    }),
  );

  const acknowledged = new Set<string>();
  const lost: string[] = [];
  const unreadable: string[] = [];
  const latenciesMs: number[] = [];
  let unanswered = 0;

  const checkFile = (round: number) => {
    let states: Map<string, string>;
    try {
      const document = JSON.parse(readFileSync(data, "utf8")) as {
        jobRuns: { name: string; state: string }[];
      };
      states = new Map(document.jobRuns.map((r) => [r.name, r.state]));
    } catch (error) {
      unreadable.push(`after round ${round}: ${(error as Error).message}`);
      // Keep going from a readable file, so the later rounds still test something.
      writeFileSync(data, readFileSync(importFile));
      return;
    }
    for (const name of acknowledged) {
      const state = states.get(name);
      if (!KEPT.has(state ?? ""))
        lost.push(`${name} is ${state ?? "missing"} in the file after round ${round}`);
    }
  };

  for (let round = 0; round < options.rounds; round++) {
    const cli = await startCli(round === 0 ? ["--import", importFile, "--data", data] : ["--data", data]);
    const [probe, ...targets] = names.slice(round * perRound, (round + 1) * perRound) as [
      string,
      ...string[],
    ];
    // One read, so the process's cold start (its first request takes ~250 ms) is not measured, then
    // one terminate alone: its answer time scales the kill moment to this machine's writes.
    await (await fetch(`${cli.url}/v1/${probe}`)).arrayBuffer();
    const probeStarted = performance.now();
    if ((await sendTerminate(cli.url, probe)) !== 200) throw new Error(`terminate ${probe} was refused`);
    const writeMs = performance.now() - probeStarted;
    acknowledged.add(probe);
    const killAfterMs = next() * maxKillDelay * writeMs;
    const outcome = await terminateUntilKilled(cli, targets, killAfterMs, next);
    for (const [name, ms] of outcome.acknowledged) {
      acknowledged.add(name);
      latenciesMs.push(ms);
    }
    unanswered += outcome.unanswered;
    checkFile(round);
  }

  // A last start: the server itself must serve every acknowledged terminate as kept.
  const cli = await startCli(["--data", data]);
  try {
    for (const name of acknowledged) {
      const response = await fetch(`${cli.url}/v1/${name}`);
      const state = ((await response.json()) as { state?: string }).state;
      if (!KEPT.has(state ?? ""))
        lost.push(`${name} is served as ${state ?? response.status} after restarting`);
    }
  } finally {
    cli.child.kill("SIGKILL");
    await cli.exit;
  }
  return {
    rounds: options.rounds,
    acknowledged: acknowledged.size,
    unanswered,
    lost,
    unreadable,
    latenciesMs,
  };
}

/** POSTs a terminate of `name` and answers its HTTP status, the body read (and dropped). */
export async function sendTerminate(url: string, name: string): Promise<number> {
  const response = await fetch(`${url}/v1/${name}:terminate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Fires waves of 1–8 concurrent terminates until the targets run out, and kills the process with
 * SIGKILL `killAfterMs` after the first was sent (or once all are answered, if sooner).
 */
async function terminateUntilKilled(
  cli: RunningCli,
  targets: readonly string[],
  killAfterMs: number,
  next: () => number,
): Promise<{ acknowledged: [string, number][]; unanswered: number }> {
  const acknowledged: [string, number][] = [];
  let unanswered = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    cli.child.kill("SIGKILL");
  };
  const timer = setTimeout(kill, killAfterMs);
  const terminate = async (name: string) => {
    const started = performance.now();
    try {
      const status = await sendTerminate(cli.url, name);
      if (status === 200) acknowledged.push([name, performance.now() - started]);
      else if (!killed) throw new Error(`terminate ${name} answered ${status}`);
    } catch (error) {
      if (!killed) throw error;
      unanswered++;
    }
  };
  try {
    let at = 0;
    while (at < targets.length && !killed) {
      const size = 1 + Math.floor(next() * 8);
      await Promise.all(targets.slice(at, at + size).map(terminate));
      at += size;
    }
  } finally {
    clearTimeout(timer);
    kill();
    await cli.exit;
  }
  return { acknowledged, unanswered };
}
