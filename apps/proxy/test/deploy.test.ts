// `pnpm run deploy` is `wrangler deploy` (wrangler 4.85, the newest that runs on Node 20). With
// --dry-run it reads wrangler.jsonc, bundles src/worker.ts and stops before uploading: that must
// work offline and without a Cloudflare account, and what it would upload must serve in workerd
// with the configuration it would deploy with (compatibility date, vars, the rate-limit binding).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobRunsClient, staticToken } from "@jobrun/client";
import { conformanceFixture, PROJECT, rollouts } from "@jobrun/conformance";
import { WORKERD_COMPATIBILITY_DATE } from "@jobrun/conformance/worker-bundle";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../src/index.js";
import { KEYS } from "./support/keys.js";

const appDir = new URL("..", import.meta.url).pathname;
const wranglerBin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");

interface DryRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `wrangler deploy --dry-run` as `pnpm run deploy` would, with every way out to a network closed. */
function dryRun(outDir: string): Promise<DryRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Any request wrangler makes goes to a closed port on loopback, so one would fail the run.
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    WRANGLER_SEND_METRICS: "false",
    NO_COLOR: "1",
  };
  delete env.CLOUDFLARE_API_TOKEN;
  delete env.CLOUDFLARE_ACCOUNT_ID;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [wranglerBin, "deploy", "--dry-run", "--outdir", outDir],
      { cwd: appDir, env, timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe("wrangler deploy --dry-run", () => {
  const outDir = mkdtempSync(join(tmpdir(), "jobrun-proxy-deploy-"));
  let run: DryRun;
  beforeAll(async () => {
    run = await dryRun(outDir);
  }, 70_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("bundles the Worker offline and lists the bindings it would deploy", () => {
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("--dry-run: exiting now");
    expect(run.output).toMatch(/env\.RATE_LIMITER \(600 requests\/60s\)\s+Rate Limit/);
    expect(run.output).toMatch(/env\.BACKEND \("emulator"\)/);
    expect(readFileSync(join(outDir, "worker.js"), "utf8")).not.toMatch(/from\s*["']node:/);
  });

  describe("what it would upload, in workerd with the deployed configuration", () => {
    let mf: Miniflare | undefined;
    let url = "";
    let compatibility: { date: string | undefined; flags: readonly string[] | undefined };
    const fixture = conformanceFixture();

    beforeAll(async () => {
      expect(run.code, run.output).toBe(0);
      // wrangler's own reading of wrangler.jsonc into miniflare options, as `wrangler dev` does.
      const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
      const { workerOptions } = unstable_getMiniflareWorkerOptions(join(appDir, "wrangler.jsonc"));
      compatibility = { date: workerOptions.compatibilityDate, flags: workerOptions.compatibilityFlags };
      const keys = {
        keys: [
          {
            id: "reader",
            hash: await hashApiKey(KEYS.reader),
            role: "reader",
            scopes: [`projects/${PROJECT}`],
          },
        ],
      };
      mf = new Miniflare({
        ...workerOptions,
        modules: true,
        scriptPath: join(outDir, "worker.js"),
        modulesRoot: outDir,
        bindings: {
          ...workerOptions.bindings,
          // What `wrangler secret put` would add, and the test's data instead of the demo.
          CALLER_KEYS: JSON.stringify(keys),
          EMULATOR_JOB_RUNS: JSON.stringify({ jobRuns: fixture.jobRuns }),
          LOG_REQUESTS: "off",
        },
        host: "127.0.0.1",
        port: 0,
      });
      url = (await mf.ready).toString().replace(/\/$/, "");
    }, 60_000);
    afterAll(() => mf?.dispose());

    it("deploys with the compatibility date the workerd tests run, and no compatibility flags", () => {
      expect(compatibility.date).toBe(WORKERD_COMPATIBILITY_DATE);
      expect(compatibility.flags ?? []).toEqual([]);
    });

    it("serves get and list to a caller with a key, and refuses one without", async () => {
      const client = createJobRunsClient({ endpoint: url, retry: false, auth: staticToken(KEYS.reader) });
      const name = fixture.jobRuns.find((r) => r.name?.startsWith(`${rollouts.webRel1}/`))!.name!;
      expect((await client.getJobRun({ name })).name).toBe(name);
      const page = await client.listJobRuns({ parent: rollouts.webRel1, pageSize: 1000 });
      expect(page.jobRuns.length).toBe(
        fixture.jobRuns.filter((r) => r.name?.startsWith(`${rollouts.webRel1}/`)).length,
      );
      expect((await fetch(`${url}/v1/${name}`)).status).toBe(401);
    });
  });
});
