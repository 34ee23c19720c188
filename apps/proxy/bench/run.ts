// Proxy benchmarks, on loopback, every ratio against a baseline measured in the same run.
//   1. GET of a job run through the proxy (emulator backend) vs a bare node:http server answering
//      the same precomputed JSON: req/s ratio (target ≥ 0.70).
//   2. google mode against a local fake upstream: latency the proxy adds at p50 and p99 (≤ 1 / 5 ms).
//   3. the Worker bundle's gzip size (≤ 150 KB) and its startup time in workerd.
//   4. memory over 100 000 requests (flat: the growth after warm-up stays small).
// Run: pnpm -F @jobrun/proxy bench (after pnpm -F @jobrun/proxy build).
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { staticToken } from "@jobrun/client";
import { encodeJson, JobRunSchema } from "@jobrun/core";
import { createEmulator } from "@jobrun/emulator";
import { Miniflare } from "miniflare";
import { Agent, request } from "undici";
import { createEmulatorBackend, createGoogleBackend, createProxy, GOOGLE_UPSTREAM } from "../src/index.js";

const THROUGHPUT_REQUESTS = 30_000;
const CONCURRENCY = 32;
const LATENCY_REQUESTS = 3_000;
const MEMORY_REQUESTS = 100_000;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function serveApp(
  fetch: (r: Request, env: unknown) => Response | Promise<Response>,
): Promise<{ url: string; close(): void }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    );
  });
}

async function throughput(url: string, path: string): Promise<number> {
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  let remaining = THROUGHPUT_REQUESTS;
  const worker = async () => {
    while (remaining-- > 0) {
      const res = await request(`${url}${path}`, { dispatcher: agent });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      await res.body.text();
    }
  };
  // Warm-up, then the measured run.
  remaining = 2_000;
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  remaining = THROUGHPUT_REQUESTS;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  await agent.close();
  return THROUGHPUT_REQUESTS / seconds;
}

async function latencies(url: string, path: string): Promise<number[]> {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const out: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS + 300; i += 1) {
    const start = performance.now();
    const res = await request(`${url}${path}`, { dispatcher: agent });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    if (i >= 300) out.push(performance.now() - start);
  }
  await agent.close();
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const fmt = (n: number, digits = 2) => n.toFixed(digits);

// A fixed world: one finished run to GET.
const seedEmulator = createEmulator({ seed: 7, demo: true });
seedEmulator.stop();
const document = seedEmulator.exportJobRuns();
const run = document.jobRuns.find((r) => r.state === "SUCCEEDED")!;
const path = `/v1/${run.name}`;
const precomputed = JSON.stringify(
  encodeJson(JobRunSchema, await seedEmulator.getJobRun({ name: run.name! })),
);

// 1. Throughput.
const bare = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.end(precomputed);
});
const bareUrl = await listen(bare);
const emulator = createEmulatorBackend({ jobRuns: document });
// As the CLI configures it for the emulator (minus the per-request log line and rate limiter).
const proxy = await serveApp(
  createProxy({ backend: emulator, auth: "none", log: false, cancelOnDisconnect: false }).fetch,
);
const bareRps = await throughput(bareUrl, path);
const proxyRps = await throughput(proxy.url, path);
console.log(`1. GET throughput (${THROUGHPUT_REQUESTS} requests, ${CONCURRENCY} connections, keep-alive)`);
console.log(`   bare node:http       ${fmt(bareRps, 0)} req/s`);
console.log(`   proxy (emulator)     ${fmt(proxyRps, 0)} req/s`);
console.log(`   ratio                ${fmt(proxyRps / bareRps)}  (target ≥ 0.70)`);

// 2. Added latency in google mode: client → fake Google vs client → proxy → fake Google.
const google = createGoogleBackend({
  auth: staticToken("bench-token"),
  fetch: (url, init) => fetch(bareUrl + url.slice(GOOGLE_UPSTREAM.length), init),
});
const googleProxy = await serveApp(createProxy({ backend: google, auth: "none", log: false }).fetch);
const direct = await latencies(bareUrl, path);
const through = await latencies(googleProxy.url, path);
console.log(`2. google mode, added latency (${LATENCY_REQUESTS} sequential GETs)`);
console.log(`   direct  p50 ${fmt(pct(direct, 0.5))} ms  p99 ${fmt(pct(direct, 0.99))} ms`);
console.log(`   proxied p50 ${fmt(pct(through, 0.5))} ms  p99 ${fmt(pct(through, 0.99))} ms`);
console.log(
  `   added   p50 ${fmt(pct(through, 0.5) - pct(direct, 0.5))} ms (target ≤ 1)  p99 ${fmt(pct(through, 0.99) - pct(direct, 0.99))} ms (target ≤ 5)`,
);
googleProxy.close();
proxy.close();
bare.close();

// 3. The Worker bundle and workerd startup.
const bundlePath = new URL("../dist/worker.bundle.js", import.meta.url).pathname;
const bundle = readFileSync(bundlePath);
const gz = gzipSync(bundle).length;
const started = performance.now();
const mf = new Miniflare({
  modules: true,
  scriptPath: bundlePath,
  compatibilityDate: "2024-09-23",
  bindings: { INSECURE_NO_AUTH: "true", LOG_REQUESTS: "off", EMULATOR_JOB_RUNS: JSON.stringify(document) },
});
await mf.ready;
const ready = performance.now();
const first = await mf.dispatchFetch(`http://worker${path}`);
await first.text();
const firstDone = performance.now();
await mf.dispose();
console.log("3. Worker");
console.log(
  `   bundle ${fmt(bundle.length / 1024, 1)} KB, gzip ${fmt(gz / 1024, 1)} KB  (ratio to the 150 KB target ${fmt(gz / (150 * 1024))})`,
);
console.log(
  `   workerd start ${fmt(ready - started, 0)} ms; first request (isolate + app build + import) ${fmt(firstDone - ready, 0)} ms`,
);

// 4. Memory over 100 000 requests (in process: the app's own retention, not the socket layer's).
setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;
const memApp = createProxy({
  backend: createEmulatorBackend({ jobRuns: document }),
  auth: "none",
  log: () => {},
});
const names = document.jobRuns.map((r) => r.name!);
const heapAfter = async (count: number, offset: number) => {
  for (let i = 0; i < count; i += 1) {
    const name = names[(offset + i) % names.length]!;
    const res = await memApp.request(
      i % 10 === 0 ? `/v1/${name.slice(0, name.indexOf("/jobRuns/"))}/jobRuns` : `/v1/${name}`,
      {
        headers: { "x-request-id": `r${i}` },
      },
    );
    await res.arrayBuffer();
  }
  gc();
  return process.memoryUsage().heapUsed;
};
const warm = await heapAfter(10_000, 0);
const end = await heapAfter(MEMORY_REQUESTS, 10_000);
console.log(`4. memory over ${MEMORY_REQUESTS} requests (after a 10 000-request warm-up)`);
console.log(
  `   heap ${fmt(warm / 2 ** 20, 1)} MB → ${fmt(end / 2 ** 20, 1)} MB  (growth ratio ${fmt(end / warm)}, ${fmt((end - warm) / MEMORY_REQUESTS, 1)} B/request)`,
);
emulator.stop();
process.exit(0);
