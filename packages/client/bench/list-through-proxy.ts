// Does the client's hand-written JSON reader (src/decode/fast-json-reader.ts) matter to a real
// workload? Listing 10,000 runs through the real proxy CLI (emulator backend, --import of 10,000
// runs, default flags), with the client as built and with the reader replaced by a stub, so every
// page goes through JSON.parse and protobuf-es's fromJson. Each side is the same bundle of
// list-all-runs.ts (esbuild) but for that one module; each runs in its own process, the proxy in
// another. Rounds alternate which side goes first; the medians of wall and CPU time are compared.
//
// Run: pnpm -F @jobrun/client bench:list (after pnpm run build, which builds the proxy CLI too).

import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createEmulator } from "@jobrun/emulator";
import { build } from "esbuild";

const RUNS = 10_000;
const ROUNDS = 5;
const LISTINGS = 3; // per process, after a warm-up listing
const PAGE_SIZES = [1000, 50]; // the largest page the API allows, and the default

const bench = fileURLToPath(new URL(".", import.meta.url));
const cliBin = fileURLToPath(new URL("../../../apps/proxy/bin/jobrun-proxy.js", import.meta.url));
const cliBuilt = fileURLToPath(new URL("../../../apps/proxy/dist/node/cli.js", import.meta.url));
if (!existsSync(cliBuilt)) throw new Error("build the proxy first: pnpm run build at the repository root");

const dir = mkdtempSync(join(tmpdir(), "jobrun-client-bench-"));

/** 10,000 runs: the demo world's, copied under new ids until there are enough. */
function world(): string {
  const seed = createEmulator({ seed: 7, demo: true });
  seed.stop();
  const demo = seed.exportJobRuns().jobRuns;
  const jobRuns = Array.from({ length: RUNS }, (_, i) => {
    const run = demo[i % demo.length]!;
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    const name = `${run.name!.slice(0, run.name!.lastIndexOf("/") + 1)}${id}`;
    return { ...run, name, uid: id, etag: undefined };
  });
  return JSON.stringify({ jobRuns });
}

async function bundle(name: string, withoutReader: boolean): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(bench, "list-all-runs.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
    plugins: withoutReader
      ? [
          {
            name: "without-fast-reader",
            setup(b) {
              b.onResolve({ filter: /\/fast-json-reader\.js$/ }, () => ({
                path: join(bench, "without-fast-reader.ts"),
              }));
            },
          },
        ]
      : [],
  });
  return outfile;
}

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

interface Listing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function list(script: string, url: string, pageSize: number): Promise<Listing[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [script, url, String(pageSize), String(LISTINGS)],
    {
      maxBuffer: 1 << 20,
    },
  );
  const result = JSON.parse(stdout) as { runs: number; listings: Listing[] };
  if (result.runs !== RUNS) throw new Error(`listed ${result.runs} runs, not ${RUNS}`);
  return result.listings;
}

const median = (values: readonly number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

const importFile = join(dir, "runs.json");
writeFileSync(importFile, world());
const withReader = await bundle("with-reader", false);
const withoutReader = await bundle("without-reader", true);
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const proxy = spawn(
  process.execPath,
  [cliBin, "--backend", "emulator", "--import", importFile, "--port", String(port)],
  {
    stdio: ["ignore", openSync("/dev/null", "w"), "inherit"],
  },
);
try {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (Date.now() > deadline || proxy.exitCode !== null) throw new Error("the proxy did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(
    `Listing ${RUNS} runs through jobrun-proxy (emulator, --import), the client with its JSON reader vs without it`,
  );
  console.log(
    `   ${ROUNDS} alternating rounds, each side in its own process (${LISTINGS} listings after a warm-up); medians; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  for (const pageSize of PAGE_SIZES) {
    const sides = { with: [] as Listing[], without: [] as Listing[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? (["with", "without"] as const) : (["without", "with"] as const);
      for (const side of order)
        sides[side].push(...(await list(side === "with" ? withReader : withoutReader, url, pageSize)));
    }
    const wall = (side: Listing[]) => median(side.map((l) => l.wallMs));
    const cpu = (side: Listing[]) => median(side.map((l) => l.cpuMs));
    console.log(`   pageSize ${pageSize} (${Math.ceil(RUNS / pageSize)} pages)`);
    console.log(
      `     with the reader      ${fmt(wall(sides.with))} ms wall, client CPU ${fmt(cpu(sides.with))} ms`,
    );
    console.log(
      `     without it           ${fmt(wall(sides.without))} ms wall, client CPU ${fmt(cpu(sides.without))} ms`,
    );
    console.log(
      `     the reader saves     ${fmt((1 - wall(sides.with) / wall(sides.without)) * 100, 1)}% of the wall time, ${fmt((1 - cpu(sides.with) / cpu(sides.without)) * 100, 1)}% of the client's CPU`,
    );
  }
  console.log(
    `   load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} at end`,
  );
} finally {
  proxy.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
