// CPU time per GET of the Worker in workerd (Miniflare), the figure Workers bill: the workerd
// process's CPU time over many GETs of a finished run, less that of a trivial Worker answering the
// same bytes measured in the same run (workerd's own HTTP handling, which no Worker is billed for).
// The Worker runs with its defaults (request logs on, written by console.log; no rate limit for the
// open emulator; google mode's default of 600 a minute per caller is turned off, or the bench would
// measure 429s); the emulator backend
// and the google backend against a fake Google in its own process, with the Cache API on (a finished
// run then comes from the edge cache, as deployed) and off (every GET forwarded upstream).
//
// Run: pnpm -F @jobrun/proxy bench:worker (after pnpm run build).

import { type ChildProcess, fork } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { loadavg } from "node:os";
import { WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import { createEmulator } from "@jobrun/emulator";
import { Miniflare } from "miniflare";
import { childPids, cpuSecondsOf } from "./process-cpu.js";

const REQUESTS = 4_000;
const WARMUP = 500;
const CONCURRENCY = 16;
const ROUNDS = 3;

const bundlePath = new URL("../dist/worker.bundle.js", import.meta.url).pathname;

// A fixed world and one finished run in it.
const seed = createEmulator({ seed: 7, demo: true });
seed.stop();
const world = seed.exportJobRuns();
const run = world.jobRuns.find((r) => r.state === "SUCCEEDED");
if (run?.name === undefined) throw new Error("the demo world has no finished run");
const path = `/v1/${run.name}`;

// The fake Google answers with the very bytes the emulator-backed Worker sends for the run.
let fakeGoogle: ChildProcess | undefined;
async function startFakeGoogle(body: string): Promise<string> {
  fakeGoogle = fork(new URL("./fake-google.mjs", import.meta.url).pathname, [], { stdio: "inherit" });
  const port = await new Promise<number>((resolve) => {
    fakeGoogle?.once("message", (p) => resolve(p as number));
    fakeGoogle?.send(body);
  });
  return `http://127.0.0.1:${port}`;
}

interface Measured {
  readonly cpuUsPerRequest: number;
  readonly wallUsPerRequest: number;
}

/** Drives `mf` with GETs of `path` (CONCURRENCY at a time) and returns workerd's CPU per request. */
async function drive(mf: Miniflare, requests: number): Promise<Measured> {
  const workerd = childPids(process.pid, "workerd");
  const cpu = () => workerd.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  let remaining = requests;
  const worker = async () => {
    while (remaining-- > 0) {
      const res = await mf.dispatchFetch(`http://127.0.0.1${path}`);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  const cpuBefore = cpu();
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wall = performance.now() - start;
  return {
    cpuUsPerRequest: ((cpu() - cpuBefore) / requests) * 1e6,
    wallUsPerRequest: (wall / requests) * 1e3,
  };
}

const silent = {
  handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => {
    stdout.resume();
    stderr.resume();
  },
};

function proxyWorker(bindings: Record<string, string>): Miniflare {
  return new Miniflare({
    modules: true,
    scriptPath: bundlePath,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
    bindings: { INSECURE_NO_AUTH: "true", ...bindings },
    ...silent,
  });
}

function trivialWorker(body: string): Miniflare {
  return new Miniflare({
    modules: true,
    script: `const BODY = ${JSON.stringify(body)};
export default { fetch() { return new Response(BODY, { headers: { "content-type": "application/json; charset=utf-8" } }); } };`,
    compatibilityDate: WORKERD_COMPATIBILITY_DATE,
    ...silent,
  });
}

const median = (values: readonly number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Each Worker in turn, rounds alternating the order, so a noisy neighbour hits them alike. */
async function measureAll(workers: Record<string, Miniflare>): Promise<Record<string, Measured[]>> {
  const results: Record<string, Measured[]> = {};
  for (const [name, mf] of Object.entries(workers)) {
    await mf.ready;
    await drive(mf, WARMUP);
    results[name] = [];
  }
  const names = Object.keys(workers);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name]!.push(await drive(workers[name]!, REQUESTS));
  }
  return results;
}

const emulatorWorker = proxyWorker({ EMULATOR_JOB_RUNS: JSON.stringify(world) });
await emulatorWorker.ready;
const body = await (await emulatorWorker.dispatchFetch(`http://127.0.0.1${path}`)).text();
const upstream = await startFakeGoogle(body);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// RATE_LIMIT_PER_MINUTE 0: without auth the google Worker's default is 600 requests per minute per
// caller (worker.ts), which this many GETs from one caller would exceed; the limiter is then left out.
const googleBindings = {
  BACKEND: "google",
  RATE_LIMIT_PER_MINUTE: "0",
  UPSTREAM: upstream,
  GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify({
    type: "service_account",
    client_email: "bench@bench.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    token_uri: `${upstream}/token`,
  }),
};
const workers: Record<string, Miniflare> = {
  "trivial Worker (baseline)": trivialWorker(body),
  "proxy, emulator backend": emulatorWorker,
  "proxy, google, edge cache on": proxyWorker(googleBindings),
  "proxy, google, edge cache off": proxyWorker({ ...googleBindings, EDGE_CACHE: "off" }),
};
try {
  console.log(
    `Worker CPU per GET of a finished run in workerd (Miniflare ${ROUNDS} rounds × ${REQUESTS} GETs, ${CONCURRENCY} at a time, median)`,
  );
  console.log(
    `   load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")} at start`,
  );
  const results = await measureAll(workers);
  const baseline = median(results["trivial Worker (baseline)"]!.map((m) => m.cpuUsPerRequest));
  for (const [name, measured] of Object.entries(results)) {
    const cpu = median(measured.map((m) => m.cpuUsPerRequest));
    const own = name.startsWith("trivial")
      ? ""
      : `   over the baseline ${fmt((cpu - baseline) / 1000, 3)} ms`;
    console.log(`   ${name.padEnd(32)} workerd CPU ${fmt(cpu / 1000, 3)} ms/req${own}`);
  }
  console.log(
    `   load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")} at end`,
  );
} finally {
  await Promise.all(Object.values(workers).map((mf) => mf.dispose()));
  fakeGoogle?.disconnect();
}
