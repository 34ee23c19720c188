// Throughput of the proxy as users run it, against a bare node:http server serving the same bytes.
//
// Nothing here can flatter the proxy by sharing its time: the load generator (autocannon) runs in
// its own process, and so does each server: the real CLI (`node bin/jobrun-proxy.js --backend
// emulator`, default flags, so request logging on) and a bare node:http server answering with the
// very response the proxy sent: its body and its headers, with a fresh request id per request as the
// proxy makes one (the ratio's baseline). A second bare server sends the body with its content type
// only, the baseline before the headers were matched, printed for reference. Each scenario gets a
// warm-up of every server, then rounds that rotate which server goes first (a noisy neighbour hits
// all alike); the median of the rounds' ratios is the result. Beside req/s each server's CPU time per request is printed, read from
// /proc/<pid>/stat (user + system, every thread of the process): that is the figure a host bills.
//
// Run: pnpm -F @jobrun/proxy bench (after pnpm run build); `--rounds N --seconds S` to change the rounds.

import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEmulator } from "@jobrun/emulator";
import { cpuSecondsOf } from "./process-cpu.js";

const { values: flags } = parseArgs({
  options: { rounds: { type: "string" }, seconds: { type: "string" } },
});
const CONNECTIONS = 50;
const ROUNDS = Number(flags.rounds ?? 6);
const ROUND_S = Number(flags.seconds ?? 4);
const WARMUP_S = 2;
const bench = new URL(".", import.meta.url).pathname;
const cliBin = new URL("../bin/jobrun-proxy.js", import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sends one message to a forked child and resolves with its answer. */
function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before answering`));
    child.once("exit", onExit);
    child.once("message", (answer) => {
      child.off("exit", onExit);
      resolve(answer as T);
    });
    child.send(message as object);
  });
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the proxy did not start within 20 s");
}

interface LoadResult {
  readonly requests: number;
  readonly durationS: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly error?: string;
}

interface Measured {
  readonly rps: number;
  /** CPU time of the server process per request, in µs. */
  readonly cpuUsPerRequest: number;
  readonly p99Ms: number;
}

const loadGenerator = fork(join(bench, "load-generator.mjs"), [], { stdio: "inherit" });

/** One round of load on one server; throws unless every answer was a 2xx. */
async function measure(url: string, pid: number, durationS: number): Promise<Measured> {
  const cpuBefore = cpuSecondsOf(pid);
  const result = await ask<LoadResult>(loadGenerator, { url, connections: CONNECTIONS, durationS });
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  if (result.error !== undefined) throw new Error(`autocannon: ${result.error}`);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts in ${result.requests} requests`,
    );
  }
  return {
    rps: result.requests / result.durationS,
    cpuUsPerRequest: (cpu / result.requests) * 1e6,
    p99Ms: result.latencyP99Ms,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const load = () =>
  loadavg()
    .map((l) => fmt(l))
    .join(" ");

interface Server {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
}

/** Warm-up, then rotating rounds; prints the table of one scenario and returns its median ratio. */
async function scenario(
  title: string,
  path: string,
  bytes: number,
  bare: Server,
  bodyOnly: Server,
  proxy: Server,
) {
  const servers = [bare, bodyOnly, proxy];
  for (const server of servers) await measure(server.url + path, server.pid, WARMUP_S);
  const rounds: Measured[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const measured: Measured[] = [];
    // Round r starts with server r mod 3, so each goes first, second and last in turn.
    for (let k = 0; k < servers.length; k += 1) {
      const i = (round + k) % servers.length;
      const server = servers[i]!;
      measured[i] = await measure(server.url + path, server.pid, ROUND_S);
    }
    rounds.push(measured);
  }
  const ratios = rounds.map((r) => r[2]!.rps / r[0]!.rps);
  const bodyOnlyRatios = rounds.map((r) => r[2]!.rps / r[1]!.rps);
  console.log(`   ${title} (${bytes} bytes)`);
  for (const [i, server] of servers.entries()) {
    const rps = median(rounds.map((r) => r[i]!.rps));
    const cpu = median(rounds.map((r) => r[i]!.cpuUsPerRequest));
    const p99 = median(rounds.map((r) => r[i]!.p99Ms));
    console.log(
      `   ${server.name.padEnd(40)} ${fmt(rps, 0).padStart(6)} req/s   CPU ${fmt(cpu, 1).padStart(5)} µs/req   p99 ${p99} ms`,
    );
  }
  const cpuRatio = median(rounds.map((r) => r[0]!.cpuUsPerRequest / r[2]!.cpuUsPerRequest));
  console.log(`   round ratios (req/s)                     ${ratios.map((r) => fmt(r)).join(" ")}`);
  console.log(`   CPU per request, bare ÷ proxy            ${fmt(cpuRatio)} (median)`);
  console.log(
    `   for reference, ÷ the body-only server    ${bodyOnlyRatios.map((r) => fmt(r)).join(" ")} (median ${fmt(median(bodyOnlyRatios))})`,
  );
  const bareRps = rounds.map((r) => r[0]!.rps);
  // Each round's req/s, so a swing shows as what it is: the baseline alone moving, or both servers.
  console.log(
    `   req/s per round, bare (proxy)            ${rounds.map((r) => `${fmt(r[0]!.rps / 1000, 1)}k (${fmt(r[2]!.rps / 1000, 1)}k)`).join(" ")}`,
  );
  const spread = (Math.max(...bareRps) - Math.min(...bareRps)) / median(bareRps);
  const quiet = spread <= QUIET_SPREAD;
  console.log(
    `   bare node:http between rounds            ±${fmt((spread / 2) * 100, 0)}% req/s: ${quiet ? "a quiet machine" : "NOT a quiet machine, so these ratios measure the neighbours too"}`,
  );
  // A req/s ratio compares the servers' capacities only while the baseline is the bottleneck. When
  // the load generator cannot keep bare node:http busy (large answers cost it more to read than the
  // server to write), the baseline's req/s is the generator's, and the ratio flatters the proxy.
  const coreShare = (i: number) => median(rounds.map((r) => (r[i]!.rps * r[i]!.cpuUsPerRequest) / 1e6));
  const bareBusy = coreShare(0);
  const saturated = bareBusy >= SATURATED_CORE_SHARE;
  console.log(
    `   busy share of a core, bare (proxy)       ${fmt(bareBusy * 100, 0)}% (${fmt(coreShare(2) * 100, 0)}%)${saturated ? "" : ": the load generator, not bare node:http, set the baseline's pace; the CPU ratio is the fairer figure"}`,
  );
  return { ratio: median(ratios), cpuRatio, quiet, saturated };
}

/**
 * The share of a core the baseline must use for its req/s to be its own capacity rather than the
 * load generator's (both are single-threaded, each with a core of its own on a 2-core machine).
 */
const SATURATED_CORE_SHARE = 0.9;

/**
 * How far the baseline's req/s may range across rounds (max − min, over the median) for the run to
 * count as measured on a quiet machine. On this project's 2-core machines a quiet run keeps the bare
 * server within a few percent; a busy neighbour makes it swing by half and the ratios by more.
 */
const QUIET_SPREAD = 0.1;

// A fixed world: the demo's runs, exported and imported, so nothing changes while it is measured.
const seed = createEmulator({ seed: 7, demo: true });
seed.stop();
const world = seed.exportJobRuns();
const finishedRun = world.jobRuns.find((run) => run.state === "SUCCEEDED");
if (finishedRun?.name === undefined) throw new Error("the demo world has no finished run");
const dir = mkdtempSync(join(tmpdir(), "jobrun-bench-"));
const importFile = join(dir, "runs.json");
writeFileSync(importFile, JSON.stringify(world));
const getPath = `/v1/${finishedRun.name}`;
// Every rollout's runs, first page: the emulator's default page size is 50.
const listPath = "/v1/projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-/jobRuns";

// The real CLI as a user starts it. Its request log (one JSON line per request, on stdout) goes to
// /dev/null: written, as to any file, but never read back by this process.
const port = await freePort();
const proxyUrl = `http://127.0.0.1:${port}`;
const devNull = openSync("/dev/null", "w");
const proxyProcess = spawn(
  process.execPath,
  [cliBin, "--backend", "emulator", "--import", importFile, "--port", String(port)],
  { stdio: ["ignore", devNull, "inherit"] },
);
const stopAll = () => {
  proxyProcess.kill("SIGTERM");
  bareProcess?.disconnect();
  bodyOnlyProcess?.disconnect();
  loadGenerator.disconnect();
  rmSync(dir, { recursive: true, force: true });
};
let bareProcess: ChildProcess | undefined;
let bodyOnlyProcess: ChildProcess | undefined;
try {
  await waitUntilServing(proxyUrl, proxyProcess);
  // What node:http adds to any response itself; the rest the bare server sends as the proxy did.
  const ADDED_BY_NODE = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
  const answerOf = async (path: string) => {
    const res = await fetch(proxyUrl + path);
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of res.headers) if (!ADDED_BY_NODE.has(name)) headers[name] = value;
    return { body: await res.text(), headers };
  };
  const answers = { [getPath]: await answerOf(getPath), [listPath]: await answerOf(listPath) };
  const bodies = { [getPath]: answers[getPath]!.body, [listPath]: answers[listPath]!.body };
  const bodyOnlyAnswers = Object.fromEntries(
    Object.entries(answers).map(([path, { body, headers }]) => [
      path,
      { body, headers: { "content-type": headers["content-type"] ?? "application/json" } },
    ]),
  );
  const listed = (JSON.parse(bodies[listPath]!) as { jobRuns: unknown[] }).jobRuns.length;
  if (listed !== 50) throw new Error(`the list page holds ${listed} runs, not 50`);

  /** A bare node:http server in its own process, answering each path as `answersByPath` says. */
  const startBare = async (name: string, answersByPath: object): Promise<[ChildProcess, Server]> => {
    const child = fork(join(bench, "bare-server.mjs"), [], { stdio: "inherit" });
    const barePort = await ask<number>(child, answersByPath);
    return [child, { name, url: `http://127.0.0.1:${barePort}`, pid: child.pid! }];
  };
  let bare: Server;
  let bodyOnly: Server;
  [bareProcess, bare] = await startBare("bare node:http, the same response", answers);
  [bodyOnlyProcess, bodyOnly] = await startBare("bare node:http, the body only", bodyOnlyAnswers);
  const proxy: Server = {
    name: "jobrun-proxy --backend emulator",
    url: proxyUrl,
    pid: proxyProcess.pid!,
  };

  console.log(
    `1. Throughput: autocannon in its own process, ${CONNECTIONS} connections, keep-alive; each server in its own process`,
  );
  console.log(
    `   ${ROUNDS} rounds of ${ROUND_S} s per server, rotating which goes first, after a ${WARMUP_S} s warm-up; medians`,
  );
  console.log(
    `   the CLI with its default flags (--import and --port only name the data and the port): request logs on,`,
  );
  console.log(
    "   written to /dev/null; no auth (loopback); no rate limit (the default only for an open emulator: with",
  );
  console.log("   --keys or --jwt-* it is 600 requests per minute per caller, and this load would get 429s)");
  console.log(
    `   node ${process.version}, ${cpus().length} cores, load average ${load()} (1, 5, 15 min) at start`,
  );
  const getRatio = await scenario(
    "GET of a finished run",
    getPath,
    Buffer.byteLength(bodies[getPath]!),
    bare,
    bodyOnly,
    proxy,
  );
  const listRatio = await scenario(
    "list, a page of 50 runs",
    listPath,
    Buffer.byteLength(bodies[listPath]!),
    bare,
    bodyOnly,
    proxy,
  );
  console.log(`   load average ${load()} at end`);
  const verdict = (measured: { quiet: boolean; saturated: boolean; cpuRatio: number }) =>
    (measured.quiet ? "" : "; NOT a quiet machine") +
    (measured.saturated ? "" : `; the load generator bound the baseline: by CPU ${fmt(measured.cpuRatio)}`);
  console.log(
    `   GET  ratio ${fmt(getRatio.ratio)} × bare node:http req/s (median; target ≥ 0.70${verdict(getRatio)})`,
  );
  console.log(
    `   list ratio ${fmt(listRatio.ratio)} × bare node:http req/s (median; target ≥ 0.50${verdict(listRatio)})`,
  );
} finally {
  stopAll();
}
