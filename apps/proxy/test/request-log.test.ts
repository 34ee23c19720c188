// The CLI's request log, read from the real bin's stdout: one pino line per request with the fields
// an operator searches by, never a header or the query; --log-level and --log-format as documented.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { conformanceFixture } from "@jobrun/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { prettyLine } from "../src/node/request-log.js";
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
    expect(cli.output.stdout.trim()).toMatch(/^listening on http:\/\/\S+$/);
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
