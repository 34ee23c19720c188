// The google-mode watch under 1,000 watchers, every party in its own process:
//   - a fake Google (this file, role "google"): one rollout of 20 job runs, its listings counted,
//     Google's token endpoint and a JWKS for the Pub/Sub push tokens;
//   - the proxy: the real CLI, `--backend google --upstream <fake>` (plus what 1,000 anonymous
//     watchers on loopback need: no per-caller stream or rate limit, room for the connections);
//   - the load (role "load"): 1,000 SSE watchers of the rollout, timing each event's arrival.
// It prints, each against its target or baseline measured in this run:
//   1. upstream listings per minute with 1,000 watchers vs polls per minute (60 / interval: 30 at 2 s);
//   2. p50 / p99 from the end of the listing that saw a change to its arrival at each of the 1,000
//      watchers, and the slowest watcher per change (target p99 ≤ 100 ms);
//   3. the same from a signed Pub/Sub push (sent right after a poll, so only the push can explain it),
//      after a warm-up of pushes about a rollout nobody watches;
//   4. the proxy's RSS and JS heap growth per watcher (target ≤ 20 KB), read after a forced GC
//      (bench/watch-heap.cjs, preloaded) at each quarter of the watchers: the slope over those
//      readings, and the growth from none.
// Run: pnpm -F @jobrun/proxy bench:watch (after pnpm -F @jobrun/proxy build).

import { type ChildProcess, fork, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { listeningAddress } from "./listening-address.js";

const WATCHERS = Number(process.env.WATCHERS ?? 1000);
const INTERVAL_S = 2;
const RUNS = 20;
const CHANGES = 15;
const PUSHES = 15;
const RATE_WINDOW_MS = 30_000;
const MEMORY_STEPS = 4;
const ROLLOUT =
  "projects/acme/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const AUDIENCE = "https://jobrun-proxy.example.com/pubsub/push";
const HEAP_FILE = join(tmpdir(), `jobrun-bench-watch-heap-${process.pid}.json`);

/** A wall-clock time with sub-millisecond resolution, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

type Message = Record<string, unknown> & { type: string };

// ---------------------------------------------------------------------------------------------
// Role "google": the fake upstream.
async function fakeGoogle(): Promise<void> {
  let jwks = "{}";
  let version = 0;
  const runs = Array.from({ length: RUNS }, (_, i) => ({
    name: `${ROLLOUT}/jobRuns/run-${i}`,
    uid: `uid-${i}`,
    jobId: "deploy",
    phaseId: "stable",
    state: "IN_PROGRESS",
    createTime: "2026-04-24T10:00:00Z",
    startTime: "2026-04-24T10:00:01Z",
    etag: `v${version}-${i}`,
    deployJobRun: { build: `projects/acme/locations/us-central1/builds/b-${i}` },
  }));
  /** Changes not yet seen by a listing: reported with the time the listing that saw them was sent. */
  let unseen: string[] = [];
  let listings = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path === "/token") {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "ya29.bench", expires_in: 3600, token_type: "Bearer" }));
      return;
    }
    if (path === "/certs") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(jwks);
      return;
    }
    if (path.endsWith("/jobRuns")) {
      listings += 1;
      const seen = unseen;
      unseen = [];
      res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify({ jobRuns: runs }), () => {
        process.send?.({ type: "listed", at: now(), seen });
      });
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}');
  });
  server.keepAliveTimeout = 60_000;
  process.on("message", (message: Message) => {
    if (message.type === "jwks") jwks = message.jwks as string;
    if (message.type === "change") {
      version += 1;
      const i = version % RUNS;
      const run = runs[i]!;
      run.etag = `v${version}-${i}`;
      run.state = run.state === "IN_PROGRESS" ? "SUCCEEDED" : "IN_PROGRESS";
      unseen.push(run.etag);
      process.send?.({ type: "changed", etag: run.etag });
    }
    if (message.type === "listings") process.send?.({ type: "listings", listings });
  });
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ type: "ready", port: (server.address() as AddressInfo).port });
  });
  process.on("disconnect", () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Role "load": the watchers.
/** A run's etag in an event's JSON (the fake's etags are plain). */
const ETAG = /"etag":"([^"\\]*)"/;

async function load(): Promise<void> {
  /** etag → arrival times, one per watcher. */
  const arrivals = new Map<string, number[]>();
  let synced = 0;
  let opened = 0;
  /** How many watchers the current "open" asks for in all. */
  let target = 0;
  const open = (url: string) => {
    const req = request(url, { headers: { accept: "text/event-stream" }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        process.send?.({ type: "failed", status: res.statusCode });
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        const at = now();
        buffer += chunk;
        // Read with string searches, not JSON.parse: 1,000 sockets' events are read in this one
        // event loop, and what it spends on one watcher's event delays the next watcher's timestamp.
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes('data: {"type":"SYNCED"')) {
            synced += 1;
            if (synced === target) process.send?.({ type: "synced", count: synced });
          } else if (block.includes('data: {"type":"CHANGED"')) {
            const etag = ETAG.exec(block)?.[1];
            if (etag === undefined) continue;
            const times = arrivals.get(etag);
            if (times === undefined) arrivals.set(etag, [at]);
            else times.push(at);
          }
        }
      });
    });
    req.on("error", (error) => process.send?.({ type: "failed", error: String(error) }));
    req.end();
  };
  process.on("message", async (message: Message) => {
    if (message.type === "open") {
      target = opened + (message.count as number);
      while (opened < target) {
        open(message.url as string);
        opened += 1;
        // A few at a time, as watchers arrive, not one SYN flood.
        if (opened % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    if (message.type === "arrivals") {
      const etag = message.etag as string;
      const deadline = Date.now() + 5_000;
      while ((arrivals.get(etag)?.length ?? 0) < WATCHERS && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      process.send?.({ type: "arrivals", etag, times: arrivals.get(etag) ?? [] });
      arrivals.delete(etag);
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send?.({ type: "ready" });
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

/** The next message of `type` from a child. */
function next(child: ChildProcess, type: string, where?: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within 120 s`)), 120_000);
    const listener = (message: Message) => {
      if (message.type === "failed") console.error("load:", message);
      if (message.type !== type || (where !== undefined && !where(message))) return;
      clearTimeout(timer);
      child.off("message", listener);
      resolve(message);
    };
    child.on("message", listener);
  });
}

/** The least-squares slope of y over x. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return covariance / variance;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The proxy's memory after a forced collection (bench/watch-heap.cjs), in KiB. */
async function memoryKiB(proxy: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  rmSync(HEAP_FILE, { force: true });
  proxy.kill("SIGUSR2");
  for (let i = 0; i < 200 && !existsSync(HEAP_FILE); i += 1) await sleep(10);
  const usage = JSON.parse(readFileSync(HEAP_FILE, "utf8")) as { rss: number; heapUsed: number };
  return { rss: usage.rss / 1024, heapUsed: usage.heapUsed / 1024 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const self = new URL(import.meta.url).pathname;
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.on("exit", cleanup);
  const loadBefore = loadavg();

  const google = fork(self, ["google"], { stdio: "inherit", execArgv: process.execArgv });
  children.push(google);
  const googlePort = (await next(google, "ready")).port as number;
  const googleUrl = `http://127.0.0.1:${googlePort}`;
  const keys = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "bench", alg: "RS256", use: "sig" };
  google.send({ type: "jwks", jwks: JSON.stringify({ keys: [jwk] }) });

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const serviceAccount = JSON.stringify({
    type: "service_account",
    client_email: "proxy@acme.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    token_uri: `${googleUrl}/token`,
  });
  const bin = new URL("../bin/jobrun-proxy.js", import.meta.url).pathname;
  const proxy = spawn(
    process.execPath,
    [
      bin,
      "--backend",
      "google",
      "--upstream",
      googleUrl,
      "--port",
      "0",
      "--watch-interval",
      String(INTERVAL_S),
      "--pubsub-audience",
      AUDIENCE,
      "--pubsub-jwks",
      `${googleUrl}/certs`,
      // 1,000 anonymous watchers from one address: no per-caller limits, room for the connections.
      "--watch-max-per-caller",
      "0",
      "--rate-limit",
      "0",
      "--max-connections",
      String(WATCHERS + 100),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        GOOGLE_SERVICE_ACCOUNT_KEY: serviceAccount,
        // Memory is read after a forced collection; the proxy's flags are otherwise its defaults.
        NODE_OPTIONS: `--expose-gc --require ${new URL("./watch-heap.cjs", import.meta.url).pathname}`,
        JOBRUN_BENCH_HEAP_FILE: HEAP_FILE,
      },
    },
  );
  children.push(proxy);
  const proxyUrl = await listeningAddress(proxy);
  // Warm the proxy's token and code paths with one short watch, then take its RSS with none open.
  await new Promise<void>((resolve) => {
    const req = request(`${proxyUrl}/v1/${ROLLOUT}/jobRuns:watch`, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.end();
  });
  await sleep(1_000);
  const idle = await memoryKiB(proxy);

  const loader = fork(self, ["load"], { stdio: "inherit", execArgv: process.execArgv });
  children.push(loader);
  await next(loader, "ready");
  // A quarter of the watchers at a time, memory read after each: the least-squares slope over the
  // four readings is what one more watcher costs, once the heap's young generation has grown to its
  // working size (a one-off, not per watcher, and in the figure "from none" beside it). One reading
  // after a forced GC moves by a few MiB either way, which a two-point difference took at full weight.
  const watchUrl = `${proxyUrl}/v1/${ROLLOUT}/jobRuns:watch`;
  const openedAt = Date.now();
  const readings: { watchers: number; rss: number; heapUsed: number }[] = [];
  for (let step = 1; step <= MEMORY_STEPS; step += 1) {
    const count = Math.round((WATCHERS * step) / MEMORY_STEPS);
    loader.send({ type: "open", url: watchUrl, count: count - (readings.at(-1)?.watchers ?? 0) });
    await next(loader, "synced", (m) => m.count === count);
    await sleep(1_500);
    readings.push({ watchers: count, ...(await memoryKiB(proxy)) });
  }
  console.log(`${WATCHERS} watchers synced in ${((Date.now() - openedAt) / 1000).toFixed(1)} s`);
  const full = readings.at(-1)!;

  // 1. Listings per minute.
  google.send({ type: "listings" });
  const first = (await next(google, "listings")).listings as number;
  await sleep(RATE_WINDOW_MS);
  google.send({ type: "listings" });
  const last = (await next(google, "listings")).listings as number;
  const perMinute = ((last - first) * 60_000) / RATE_WINDOW_MS;
  const target = 60 / INTERVAL_S;

  // 2. From the poll that sees a change to every watcher.
  const pollLatencies: number[] = [];
  const pollWorst: number[] = [];
  for (let i = 0; i < CHANGES; i += 1) {
    google.send({ type: "change" });
    const { etag } = await next(google, "changed");
    const listed = await next(google, "listed", (m) => (m.seen as string[]).includes(etag as string));
    loader.send({ type: "arrivals", etag });
    const { times } = await next(loader, "arrivals", (m) => m.etag === etag);
    const latencies = (times as number[]).map((t) => t - (listed.at as number));
    if (latencies.length < WATCHERS) console.error(`change ${i}: ${latencies.length} of ${WATCHERS} arrived`);
    pollLatencies.push(...latencies);
    pollWorst.push(Math.max(...latencies));
  }

  // 3. From a signed push, sent just after a poll (the next is ~2 s away).
  const pushLatencies: number[] = [];
  const pushWorst: number[] = [];
  const token = () =>
    new SignJWT({ email: "push@acme.iam.gserviceaccount.com", email_verified: true })
      .setProtectedHeader({ alg: "RS256", kid: "bench" })
      .setIssuer("https://accounts.google.com")
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(keys.privateKey);
  const push = (bearer: string, rolloutId: string, messageId: string) =>
    fetch(`${proxyUrl}/pubsub/push`, {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: JSON.stringify({
        message: {
          attributes: {
            ResourceType: "JobRun",
            Action: "Succeed",
            ProjectNumber: "123456789012",
            Location: "us-central1",
            DeliveryPipelineId: "web",
            ReleaseId: "rel-1",
            RolloutId: rolloutId,
            JobRunId: "run-0",
          },
          messageId,
        },
        subscription: "projects/acme/subscriptions/jobrun-proxy",
      }),
    });
  // Warm-up, as for the watch: pushes about a rollout nobody watches (acked, no listing, no event).
  // Without it the first push measured this process's own first fetch (undici loads lazily) and
  // the proxy's first pass through its push path: ~150 ms, once.
  for (let i = 0; i < 20; i += 1)
    await (await push(`Bearer ${await token()}`, "unwatched", `w${i}`)).arrayBuffer();
  let pushAcks = 0;
  const ackTimes: number[] = [];
  for (let i = 0; i < PUSHES; i += 1) {
    await next(google, "listed");
    await sleep(100);
    google.send({ type: "change" });
    const { etag } = await next(google, "changed");
    const bearer = `Bearer ${await token()}`;
    const sentAt = now();
    const ack = await push(bearer, "rel-1-to-prod-0001", String(i));
    ackTimes.push(now() - sentAt);
    if (ack.status === 204) pushAcks += 1;
    loader.send({ type: "arrivals", etag });
    const { times } = await next(loader, "arrivals", (m) => m.etag === etag);
    const latencies = (times as number[]).map((t) => t - sentAt);
    pushLatencies.push(...latencies);
    pushWorst.push(Math.max(...latencies));
  }
  const loadAfter = loadavg();

  const sortedPoll = [...pollLatencies].sort((a, b) => a - b);
  const sortedPush = [...pushLatencies].sort((a, b) => a - b);
  const perWatcher = (from: number, to: number, watchers: number) => ((to - from) / watchers).toFixed(1);
  console.log(
    `\nload average (1/5/15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log(`\n1. upstream listings with ${WATCHERS} watchers, --watch-interval ${INTERVAL_S}`);
  console.log(
    `   ${perMinute.toFixed(1)} per minute vs ${target} polls per minute: ratio ${(perMinute / target).toFixed(2)} (target 1.00; one poller per watcher would make ${WATCHERS * target})`,
  );
  console.log(
    `\n2. from the end of the listing that saw a change to each watcher (${CHANGES} changes × ${WATCHERS})`,
  );
  console.log(
    `   p50 ${ms(percentile(sortedPoll, 50))}, p99 ${ms(percentile(sortedPoll, 99))} (target ≤ 100 ms); slowest watcher per change: median ${ms(
      percentile(
        [...pollWorst].sort((a, b) => a - b),
        50,
      ),
    )}, max ${ms(Math.max(...pollWorst))}`,
  );
  console.log(
    `\n3. from a signed Pub/Sub push (sent 100 ms after a poll) to each watcher (${PUSHES} pushes, ${pushAcks} acked 204)`,
  );
  console.log(
    `   p50 ${ms(percentile(sortedPush, 50))}, p99 ${ms(percentile(sortedPush, 99))} (target ≤ 100 ms); slowest watcher per push: median ${ms(
      percentile(
        [...pushWorst].sort((a, b) => a - b),
        50,
      ),
    )}, max ${ms(Math.max(...pushWorst))}; in order: ${pushWorst.map((w) => w.toFixed(0)).join(" ")} ms; acked after ${ackTimes.map((w) => w.toFixed(0)).join(" ")} ms`,
  );
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  const rssSlope = slope(readings.map((r) => [r.watchers, r.rss]));
  const heapSlope = slope(readings.map((r) => [r.watchers, r.heapUsed]));
  console.log(
    `\n4. proxy memory after a forced GC: RSS ${[idle, ...readings].map((r) => mib(r.rss)).join(" / ")} MiB, JS heap ${[idle, ...readings].map((r) => mib(r.heapUsed)).join(" / ")} MiB with ${[0, ...readings.map((r) => r.watchers)].join(" / ")} watchers`,
  );
  console.log(
    `   per watcher (target ≤ 20 KB): RSS ${rssSlope.toFixed(1)} KiB (slope over the ${MEMORY_STEPS} readings), ${perWatcher(idle.rss, full.rss, WATCHERS)} KiB from none; JS heap ${heapSlope.toFixed(1)} KiB (slope), ${perWatcher(idle.heapUsed, full.heapUsed, WATCHERS)} KiB from none`,
  );
  cleanup();
  process.exit(0);
}

const role = process.argv[2];
if (role === "google") await fakeGoogle();
else if (role === "load") await load();
else await main();
