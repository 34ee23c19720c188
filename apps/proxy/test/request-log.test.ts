// The CLI's request log, read from the real bin's stdout: one pino line per request with the fields
// an operator searches by, never a header or the query; --log-level and --log-format as documented.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { conformanceFixture } from "@jobrun/conformance";
import { afterAll, describe, expect, it, vi } from "vitest";
import { pinoLogSink, prettyLine } from "../src/node/request-log.js";
import { bin, killAll, type RunningCli, startCli } from "./support/cli-process.js";

const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-log-"));
const fixture = conformanceFixture();
const dataFile = join(dir, "runs.json");
writeFileSync(dataFile, JSON.stringify({ jobRuns: fixture.jobRuns }));
const finished = fixture.jobRuns.find((r) => r.state === "SUCCEEDED")!.name!;

afterAll(killAll);

/** The log lines written so far that mention `marker` (a request id), once there are `count` of them. */
async function linesWith(cli: RunningCli, marker: string, count = 1): Promise<string[]> {
  const lines = () => cli.output.stdout.split("\n").filter((line) => line.includes(marker));
  await expect.poll(() => lines().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  return lines();
}

describe("jobrun-proxy request log", () => {
  it("writes one JSON line per request by default: level by name, epoch time, the request's fields, no header or query", async () => {
    const cli = await startCli(["--import", dataFile]);
    const res = await fetch(`${cli.url}/v1/${finished}?prettyPrint=false`, {
      headers: { "x-request-id": "log-get-1", "x-secret-header": "s3cret" },
    });
    expect(res.status).toBe(200);
    const missing = await fetch(`${cli.url}/v1/projects/p/nothing-here`, {
      headers: { "x-request-id": "log-404-1" },
    });
    expect(missing.status).toBe(404);

    const [got] = await linesWith(cli, "log-get-1");
    const entry = JSON.parse(got!) as Record<string, unknown>;
    expect(entry).toEqual({
      level: "info",
      time: expect.any(Number),
      msg: "request",
      requestId: "log-get-1",
      method: "GET",
      path: `/v1/${finished}`,
      status: 200,
      durationMs: expect.any(Number),
      caller: "anonymous",
      rpc: "GetJobRun",
      resource: finished,
    });
    expect(Math.abs((entry.time as number) - Date.now())).toBeLessThan(60_000);
    expect(got).not.toMatch(/s3cret|x-secret-header|prettyPrint/);

    const [notFound] = await linesWith(cli, "log-404-1");
    expect(JSON.parse(notFound!)).toMatchObject({ level: "warn", status: 404, error: "NOT_FOUND" });
    // stdout is log lines and nothing else (`jobrun-proxy | jq` reads every one); the listening
    // line went to stderr.
    const stdoutLines = cli.output.stdout.split("\n").filter((line) => line !== "");
    expect(stdoutLines.length).toBeGreaterThanOrEqual(2);
    for (const line of stdoutLines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(cli.output.stderr).toMatch(/^jobrun-proxy: listening on http:\/\/\S+\n/);
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
  });

  it("--log-format pretty writes one readable line per request; --log-level warn drops the 2xx ones", async () => {
    const cli = await startCli(["--import", dataFile, "--log-format", "pretty", "--log-level", "warn"]);
    await fetch(`${cli.url}/v1/${finished}`, { headers: { "x-request-id": "pretty-ok" } });
    await fetch(`${cli.url}/v1/projects/p/nothing-here`, { headers: { "x-request-id": "pretty-404" } });
    const [line] = await linesWith(cli, "pretty-404");
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}GET \/v1\/projects\/p\/nothing-here 404 [\d.]+ ms {2}requestId=pretty-404 caller=anonymous error=NOT_FOUND$/,
    );
    expect(cli.output.stdout).not.toContain("pretty-ok");
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
  });

  it("--log-level silent writes no request lines", async () => {
    const cli = await startCli(["--import", dataFile, "--log-level", "silent"]);
    await fetch(`${cli.url}/v1/projects/p/nothing-here`, { headers: { "x-request-id": "silent-404" } });
    await fetch(`${cli.url}/healthz`);
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
    expect(cli.output.stdout).toBe("");
    expect(cli.output.stderr).toMatch(
      /^jobrun-proxy: listening on http:\/\/\S+\njobrun-proxy: SIGTERM, shutting down\n$/,
    );
  });

  it.each([
    [
      ["--log-level", "verbose"],
      '--log-level must be one of trace, debug, info, warn, error, silent, not "verbose"',
    ],
    [["--log-format", "xml"], '--log-format must be one of json, pretty, not "xml"'],
  ])("refuses %j with exit code 2 and one clear line", async (args, message) => {
    const failure = await promisify(execFile)(process.execPath, [bin, ...args]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(`jobrun-proxy: ${message}\n`);
  });
});

describe("prettyLine", () => {
  it("shows a line that is not a request (the server's own) by its message, and passes non-JSON on", () => {
    expect(
      prettyLine('{"level":"error","time":0,"msg":"request","status":400,"error":"INVALID_ARGUMENT"}\n'),
    ).toBe("00:00:00.000 ERROR request 400  error=INVALID_ARGUMENT\n");
    expect(prettyLine("not json\n")).toBe("not json\n");
  });
});

describe("pinoLogSink formats entries in batches, off the request's path", () => {
  /** A sink writing into an array, as the destination receives the lines. */
  function collected(level: "info" | "warn" = "info") {
    const lines: string[] = [];
    const sink = pinoLogSink({
      level,
      format: "json",
      destination: { write: (line: string) => lines.push(line) },
    });
    return { sink, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it("writes every entry within milliseconds, in order, each with the time it was logged", () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    try {
      const { sink, lines, entries } = collected();
      sink({ level: "info", msg: "request", requestId: "a", status: 200 });
      vi.advanceTimersByTime(4);
      sink({ level: "warn", msg: "request", requestId: "b", status: 404, error: "NOT_FOUND" });
      expect(lines).toEqual([]); // not on the request's path
      vi.advanceTimersByTime(20);
      expect(entries()).toEqual([
        { level: "info", time: 1_800_000_000_000, msg: "request", requestId: "a", status: 200 },
        {
          level: "warn",
          time: 1_800_000_000_004,
          msg: "request",
          requestId: "b",
          status: 404,
          error: "NOT_FOUND",
        },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps no more than a bounded number waiting: past it, they are written at once", () => {
    vi.useFakeTimers();
    try {
      const { sink, lines } = collected();
      for (let i = 0; i < 5_000; i += 1) sink({ level: "info", msg: "request", requestId: String(i) });
      expect(lines.length).toBeGreaterThanOrEqual(4_000);
      vi.runAllTimers();
      expect(lines.map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual(
        Array.from({ length: 5_000 }, (_, i) => String(i)),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("writes every field of every entry exactly once, however paths, callers and fields repeat", () => {
    // The fields that repeat for a path and caller go through child loggers (bound-loggers.ts):
    // whichever entries share them, differ in one of them, or cannot be bound, each line must say
    // exactly what its entry said.
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    try {
      const { sink, lines, entries } = collected();
      // The last is longer than any path bound into a child.
      const paths = ["/v1/a/jobRuns/1", "/v1/a/jobRuns/2", 'odd "path" \\ é', `/v1/${"x".repeat(700)}`];
      const callers: unknown[] = ["anonymous", "ci", 'q"uote', undefined, 7];
      const logged: Record<string, unknown>[] = [];
      let seed = 1;
      const pick = <T>(from: readonly T[]): T => {
        seed = (seed * 48_271) % 2_147_483_647;
        return from[seed % from.length] as T;
      };
      for (let i = 0; i < 600; i += 1) {
        const entry: Record<string, unknown> = {
          // Bound too: mostly "request", as every request line, but any message must come out whole.
          msg: i % 5 === 0 ? pick(["served", 'q"uote', undefined, 3]) : "request",
          requestId: `r${i}`,
          method: pick(["GET", "POST"]),
          // Past the memo's bound of paths and of callers per path as well.
          path: i < 400 ? pick(paths) : `/v1/many/${i % 150}`,
          status: pick([200, 404]),
          durationMs: i / 100,
          caller: i >= 500 ? `caller-${i % 12}` : pick(callers),
          rpc: pick(["GetJobRun", undefined]),
          resource: pick(["a/jobRuns/1", undefined]),
        };
        if (i % 7 === 0) entry.error = "NOT_FOUND";
        logged.push(Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)));
        sink({ level: "info", ...entry });
      }
      vi.runAllTimers();
      expect(entries()).toEqual(
        logged.map((entry) => ({ level: "info", time: 1_800_000_000_000, ...entry })),
      );
      for (const line of lines) {
        const keys = [...line.matchAll(/"([A-Za-z]+)":/g)].map((match) => match[1]);
        expect(new Set(keys).size, line).toBe(keys.length);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("drops entries below the level without keeping them", () => {
    vi.useFakeTimers();
    try {
      const { sink, lines } = collected("warn");
      sink({ level: "info", msg: "request", requestId: "quiet" });
      sink({ level: "error", msg: "request", requestId: "loud" });
      vi.runAllTimers();
      expect(lines.map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual(["loud"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("writes the entries still waiting when the process exits at once, to stdout, none lost", async () => {
    const module = new URL("../dist/node/request-log.js", import.meta.url).href;
    const script = `
      const { pinoLogSink } = await import(${JSON.stringify(module)});
      const sink = pinoLogSink({ level: "info", format: "json" });
      for (let i = 0; i < 3000; i += 1) sink({ level: "info", msg: "request", requestId: "exit-" + i });
      process.exit(0);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const ids = stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => `exit-${i}`));
  });
});
