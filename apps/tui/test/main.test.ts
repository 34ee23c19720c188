import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, createManualClock } from "@jobrun/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import type { Backend } from "../src/source/backend.js";
import { NOW, nameOf, PROJECT, sampleRuns } from "./support/fixtures.js";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function stream(isTTY: boolean) {
  const sink = {
    text: "",
    isTTY,
    columns: 100,
    rows: 30,
    write(chunk: string) {
      sink.text += chunk;
      return true;
    },
  };
  return sink;
}

/** Runs main() with non-TTY streams on an emulator holding the sample runs (or a real backend). */
async function run(argv: string[], options: { realBackend?: boolean } = {}): Promise<Captured> {
  const stdout = stream(false);
  const stderr = stream(false);
  const clock = createManualClock(NOW);
  const emulator = createEmulator({ clock, demo: false, jobRuns: { jobRuns: sampleRuns() } });
  const backend: Backend = { service: emulator, label: "test", endpoint: undefined, start() {}, stop() {} };
  const code = await main({
    argv,
    env: {},
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: { isTTY: false } as NodeJS.ReadStream,
    clock,
    ...(options.realBackend ? {} : { openBackend: async () => backend }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const project = ["--project", PROJECT];

describe("not a TTY: print once and exit", () => {
  it("prints a table of the runs, newest first, and exits 0", async () => {
    const { code, stdout, stderr } = await run(project);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^STATE\s+KIND\s+JOB\s+PHASE\s+PIPELINE\s+RELEASE\s+ROLLOUT\s+AGE\s+DURATION\s+FAILURE\s+NAME$/,
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(
      /^IN_PROGRESS\s+deploy\s+deploy\s+canary-25\s+web\s+r1\s+r1-to-prod-0001\s+1m 00s\s+55s\s+-\s+projects\/acme\//,
    );
    expect(lines[2]).toMatch(/^FAILED\s+verify.*VERIFICATION_CONFIG_NOT_FOUND/);
  });

  it("--output json prints proto3 JSON that lists the runs; --limit caps it", async () => {
    const { code, stdout } = await run([...project, "--output", "json", "--limit", "2"]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { jobRuns: { name: string; state: string }[] };
    expect(doc.jobRuns.map((r) => r.name)).toEqual([nameOf(1), nameOf(2)]);
    expect(doc.jobRuns[1]?.state).toBe("FAILED");
  });

  it("--filter and --sort-by go to the server", async () => {
    const { stdout } = await run([
      ...project,
      "-o",
      "json",
      "--filter",
      'state="SUCCEEDED"',
      "--sort-by",
      "~jobId",
    ]);
    const doc = JSON.parse(stdout) as { jobRuns: { jobId: string }[] };
    expect(doc.jobRuns.map((r) => r.jobId)).toEqual(["predeploy", "create-child"]);
  });

  it("an empty listing prints the header only and says Listed 0 items. on stderr", async () => {
    const { code, stdout, stderr } = await run([...project, "--filter", 'state="TERMINATING"']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toBe("Listed 0 items.\n");
  });

  it("a filter the server refuses exits 1 with the server's reason and no stack trace", async () => {
    const { code, stderr } = await run([...project, "--filter", "nosuchfield=1"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^jobrun: The server refused the request: .*nosuchfield/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("bad flags exit 2 with a message naming the flag", () => {
  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--output", "xml"], /--output must be json or table, got "xml"/],
    [["--refresh", "soon"], /--refresh needs a non-negative number of seconds, got "soon"/],
    [["--limit=1.5"], /--limit needs a non-negative whole number, got "1.5"/],
    [["--endpoint", "ftp://x"], /--endpoint must be an http\(s\) URL/],
    [["--sort-by", "colour"], /--sort-by: cannot sort by "colour"/],
    [["--rollout", "projects/p/locations/l"], /--rollout projects\/p\/locations\/l is not a rollout name/],
    [["--access-token", "t"], /--access-token needs --endpoint/],
  ])("%j", async (argv, message) => {
    const { code, stderr, stdout } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).toContain("jobrun --help");
  });

  it("--endpoint without a project says where a project comes from", async () => {
    const { code, stderr } = await run(["--endpoint", "http://127.0.0.1:9"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no project: pass --project/);
  });

  it("--help prints the flags and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--delivery-pipeline");
    expect(stdout).toContain("Exit codes:");
  });
});

describe("remote endpoint errors", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  function serve(status: number, body: unknown): Promise<string> {
    server = createServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
    return new Promise((resolve) =>
      server?.listen(0, "127.0.0.1", () =>
        resolve(`http://127.0.0.1:${(server?.address() as AddressInfo | null)?.port ?? 0}`),
      ),
    );
  }

  it("an unreachable endpoint exits 4 and says to check --endpoint", async () => {
    const closed = await serve(200, {});
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const { code, stderr } = await run(["--endpoint", closed, ...project], { realBackend: true });
    expect(code).toBe(4);
    expect(stderr).toMatch(/^jobrun: Cannot reach http:\/\/127\.0\.0\.1:\d+.*Check --endpoint/);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a scope the server does not know exits 5", async () => {
    const endpoint = await serve(404, {
      error: { code: 404, status: "NOT_FOUND", message: "rollout nope not found" },
    });
    const { code, stderr } = await run(["--endpoint", endpoint, ...project, "--rollout", "nope"], {
      realBackend: true,
    });
    expect(code).toBe(5);
    expect(stderr).toMatch(/^jobrun: Not found: rollout nope not found\. Check --project/);
  });

  it("a refused token exits 3 and names the ways to sign in", async () => {
    const endpoint = await serve(401, {
      error: { code: 401, status: "UNAUTHENTICATED", message: "token expired" },
    });
    const { code, stderr } = await run(["--endpoint", endpoint, "--access-token", "stale", ...project], {
      realBackend: true,
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/Not signed in: .*token expired.*gcloud auth login.*--access-token/);
  });

  it("lists through @jobrun/client from a REST endpoint", async () => {
    const endpoint = await serve(200, {
      jobRuns: [{ name: nameOf(1), state: "SUCCEEDED", jobId: "deploy", deployJobRun: {} }],
    });
    const { code, stdout } = await run(["--endpoint", endpoint, ...project, "-o", "table"], {
      realBackend: true,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/SUCCEEDED\s+deploy\s+deploy/);
  });
});
