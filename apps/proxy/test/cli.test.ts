// The real bin (bin/jobrun-proxy.js launching dist/node/cli.js, made by the build that turbo runs
// before the tests), spawned as a user would run it.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CORPUS_PARENT,
  conformanceFixture,
  corpusRuns,
  createFakeGoogle,
  rollouts,
} from "@jobrun/conformance";
import { google } from "googleapis";
import { afterAll, describe, expect, it } from "vitest";
import { bin, killAll, startCli } from "./support/cli-process.js";
import { rawRequest } from "./support/raw-http.js";
import { serveFetch } from "./support/serve.js";

const repoRoot = new URL("../../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-cli-"));
const fixture = conformanceFixture();
const dataFile = join(dir, "runs.json");
writeFileSync(dataFile, JSON.stringify({ jobRuns: fixture.jobRuns }));
const finished = fixture.jobRuns.find(
  (r) => r.state === "SUCCEEDED" && r.name!.startsWith(`${rollouts.webRel1}/`),
)!.name!;
afterAll(killAll);

async function run(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd,
      timeout: 10_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("jobrun-proxy", () => {
  it("serves imported data, answers /healthz, and exits 0 on SIGTERM", async () => {
    const { child, url, exit } = await startCli(["--import", dataFile]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const got = await fetch(`${url}/v1/${finished}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { name: string }).name).toBe(finished);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("seeds the live demo without --import and exits 0 on SIGINT, even with a keep-alive client", async () => {
    const { child, url, exit } = await startCli([]);
    expect((await fetch(`${url}/healthz`, { keepalive: true })).status).toBe(200);
    child.kill("SIGINT");
    expect(await exit).toBe(0);
  });

  it("requires a key when given --keys, and refuses a foreign Host when open on loopback", async () => {
    const created = await run([
      "new-key",
      "--id",
      "ci",
      "--role",
      "reader",
      "--scope",
      "projects/conformance",
    ]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^jrp_[A-Za-z0-9_-]{43}$/);
    const record = JSON.parse(created.stderr.slice(created.stderr.indexOf("{")));
    expect(JSON.stringify(record)).not.toContain(key);
    const keysFile = join(dir, "keys.json");
    writeFileSync(keysFile, JSON.stringify({ keys: [record] }));
    const { child, url, exit } = await startCli(["--import", dataFile, "--keys", keysFile]);
    expect((await fetch(`${url}/v1/${finished}`)).status).toBe(401);
    expect(
      (await fetch(`${url}/v1/${finished}`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(200);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);

    const open = await startCli(["--import", dataFile]);
    // fetch cannot set Host; a DNS-rebinding page's requests carry the attacker's name in it.
    const rebound = await rawRequest(open.url, {
      path: `/v1/${finished}`,
      headers: { host: "attacker.example" },
    });
    expect(rebound.status).toBe(403);
    open.child.kill("SIGTERM");
    await open.exit;
  });

  const bad: [string, string[], RegExp][] = [
    ["an unknown flag", ["--bogus"], /bogus/],
    ["a bad backend", ["--backend", "aws"], /--backend/],
    ["a bad port", ["--port", "eighty"], /--port/],
    ["a missing import file", ["--import", join(dir, "nope.json")], /does not exist/],
    ["an import file that is not JSON", ["--import", __filename], /not JSON/],
    ["a bad keys file", ["--keys", dataFile], /keys/],
    ["a missing keys file", ["--keys", join(dir, "nope.json")], /no such file/],
    ["a public address without auth", ["--host", "0.0.0.0"], /without auth/],
    ["a bad CORS origin", ["--cors-origin", "https://x.example/path"], /--cors-origin/],
    ["half the JWT flags", ["--jwt-issuer", "https://i"], /go together/],
    [
      "--upstream without the google backend",
      ["--upstream", "https://x.example"],
      /only applies to --backend google/,
    ],
    [
      "a plain-http upstream off loopback",
      ["--backend", "google", "--upstream", "http://deploy.example.com"],
      /must use https/,
    ],
    ["an upstream with a query", ["--backend", "google", "--upstream", "https://x.example/?a=1"], /query/],
    [
      "an upstream that is not a URL",
      ["--backend", "google", "--upstream", "clouddeploy"],
      /not an absolute URL/,
    ],
  ];
  for (const [label, args, message] of bad) {
    it(`exits 2 with a clear message for ${label}`, async () => {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("writes an import file whose runs are invalid off with exit 2 naming the field", async () => {
    const badData = join(dir, "bad-runs.json");
    writeFileSync(badData, JSON.stringify({ jobRuns: [{ name: "nope", state: "SLEEPING" }] }));
    const result = await run(["--import", badData]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/jobRuns\[0\]/);
  });

  it("starts on 0.0.0.0 with --insecure-no-auth", async () => {
    const { child, exit, url } = await startCli([
      "--host",
      "0.0.0.0",
      "--insecure-no-auth",
      "--import",
      dataFile,
    ]);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("runs as `pnpm exec jobrun-proxy` from the repository root", async () => {
    const { stdout } = await promisify(execFile)("pnpm", ["exec", "jobrun-proxy", "--help"], {
      cwd: repoRoot,
    });
    expect(stdout).toMatch(/usage: jobrun-proxy/);
  });
});

describe("jobrun-proxy --backend google --upstream", () => {
  it("hands a googleapis caller the runs a fake Google serves, newer fields and values unchanged", async () => {
    // One loopback server plays Google (the corpus) and the metadata server the proxy gets its token from.
    const fake = createFakeGoogle();
    const served = await serveFetch((request) => {
      if (new URL(request.url).pathname.startsWith("/computeMetadata/")) {
        return Response.json({ access_token: "ya29.from-metadata", expires_in: 3600, token_type: "Bearer" });
      }
      return fake.fetch(request);
    });
    const empty = mkdtempSync(join(tmpdir(), "jobrun-proxy-home-"));
    const env = {
      PATH: "",
      HOME: empty,
      CLOUDSDK_CONFIG: empty,
      GCE_METADATA_HOST: served.url.slice("http://".length),
    };
    try {
      const { child, url, exit } = await startCli(["--backend", "google", "--upstream", served.url], env);
      const jobRuns = google.clouddeploy({ version: "v1", rootUrl: `${url}/` }).projects.locations
        .deliveryPipelines.releases.rollouts.jobRuns;
      const { data } = await jobRuns.list({ parent: CORPUS_PARENT, quotaUser: "alice" });
      expect(data.jobRuns).toEqual(Object.values(corpusRuns));
      expect(fake.requests.at(-1)!.headers.get("authorization")).toBe("Bearer ya29.from-metadata");
      expect(fake.requests.at(-1)!.url.searchParams.get("quotaUser")).toBe("alice");
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      await served.close();
    }
  });
});

describe("rate limits by default", () => {
  it("lets 300 concurrent gets through a keyless emulator proxy: no 429 for what Google would serve", async () => {
    const { child, url, exit } = await startCli(["--import", dataFile]);
    const statuses = await Promise.all(
      Array.from({ length: 300 }, () => fetch(`${url}/v1/${finished}`).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("keeps the per-caller limit when callers have keys (600 a minute: bursts past 60 get 429)", async () => {
    const created = await run([
      "new-key",
      "--id",
      "burst",
      "--role",
      "reader",
      "--scope",
      "projects/conformance",
    ]);
    const key = created.stdout.trim();
    const keysFile = join(dir, "burst-keys.json");
    writeFileSync(
      keysFile,
      JSON.stringify({ keys: [JSON.parse(created.stderr.slice(created.stderr.indexOf("{")))] }),
    );
    const { child, url, exit } = await startCli(["--import", dataFile, "--keys", keysFile]);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`${url}/v1/${finished}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});
