// Properties over hostile requests, against the real CLI (emulator backend, a fixture of 1,100 runs)
// over real HTTP: whatever the path, query, filter, orderBy, page token or body, the answer is not a
// 5xx, an error is a google.rpc.Status, and it comes within a time bound that a backtracking
// (ReDoS) filter matcher could not meet. The server runs in its own process, so a request that
// blocks it shows up as a timeout here instead of freezing the test. FUZZ_RUNS sets the number of
// cases (default 3,000: a few seconds on an idle machine); bench/fuzz.ts runs many more.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { killAll, type RunningCli, startCli } from "./support/cli-process.js";
import {
  brokenPromise,
  type HostileRequest,
  hostileFilter,
  hostileList,
  hostilePath,
  hostileTerminate,
  keepAliveAgent,
  send,
} from "./support/hostile-requests.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 3_000);
/** Far above any honest answer of a 1,100-run store, far below what a backtracking glob costs. */
const BOUND_MS = 3_000;

const fixture = conformanceFixture();
const runNames = fixture.jobRuns
  .filter((run) => run.name!.startsWith(`${rollouts.terminate}/`))
  .map((r) => r.name!);
let cli: RunningCli;
const tokens: string[] = [];
const agent = keepAliveAgent();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-fuzz-"));
  const data = join(dir, "runs.json");
  writeFileSync(data, JSON.stringify({ jobRuns: fixture.jobRuns }));
  cli = await startCli(["--import", data, "--rate-limit", "0"]);
  // Real page tokens, for the generators to mutate.
  for (const size of [1, 7, 100]) {
    const page = (await (await fetch(`${cli.url}/v1/${rollouts.bulk}/jobRuns?pageSize=${size}`)).json()) as {
      nextPageToken?: string;
    };
    if (page.nextPageToken) tokens.push(page.nextPageToken);
  }
}, 30_000);

afterAll(() => {
  agent.destroy();
  killAll();
});

async function holds(req: HostileRequest): Promise<void> {
  const answer = await send(new URL(cli.url), agent, req, BOUND_MS + 2_000);
  const broken = brokenPromise(req, answer, BOUND_MS);
  if (broken !== undefined) throw new Error(`${req.method} ${req.target} ${req.body ?? ""}: ${broken}`);
}

// A failure is reported as found, without shrinking: after a timeout the server may still be busy,
// and every shrinking step would time out too.
const settings = (share: number) => ({ numRuns: Math.max(1, Math.round(RUNS * share)), endOnFailure: true });

describe("hostile requests against the CLI", () => {
  it("filters, evaluated against 1,010 runs", async () => {
    await fc.assert(fc.asyncProperty(hostileFilter, holds), settings(0.25));
  }, 120_000);

  it("listings: filters, orderBy, page tokens and sizes together", async () => {
    await fc.assert(fc.asyncProperty(hostileList(tokens), holds), settings(0.3));
  }, 120_000);

  it("paths and methods", async () => {
    await fc.assert(fc.asyncProperty(hostilePath(tokens), holds), settings(0.25));
  }, 120_000);

  it("terminate bodies", async () => {
    await fc.assert(fc.asyncProperty(hostileTerminate(runNames), holds), settings(0.2));
  }, 120_000);
});
