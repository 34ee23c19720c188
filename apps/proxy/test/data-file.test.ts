// `jobrun-proxy --backend emulator --data FILE` (issue 10.8): the state is loaded at start, created if
// missing, imported into only once, and every terminate a caller got a 200 for is in the file by then.

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { bin, killAll, startCli } from "./support/cli-process.js";
import { sendTerminate } from "./support/crash-rounds.js";

const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-data-"));
const rollout = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o";
const importFile = join(dir, "import.json");
const runs = Array.from({ length: 5 }, (_, i) => ({
  name: `${rollout}/jobRuns/run-${i}`,
  uid: `uid-${i}`,
  state: i === 4 ? "TERMINATING" : "IN_PROGRESS",
  createTime: "2025-01-01T00:00:00Z",
  etag: `e${i}`,
}));
writeFileSync(importFile, JSON.stringify({ jobRuns: runs }));

afterAll(() => killAll());

interface StoredRun {
  name: string;
  state: string;
}
const stored = (path: string): StoredRun[] =>
  (JSON.parse(readFileSync(path, "utf8")) as { jobRuns: StoredRun[] }).jobRuns;
const stateIn = (path: string, name: string) => stored(path).find((r) => r.name === name)?.state;

async function stateOf(url: string, name: string): Promise<string> {
  return ((await (await fetch(`${url}/v1/${name}`)).json()) as { state: string }).state;
}

async function runToExit(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [bin, "--port", "0", ...args]);
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("jobrun-proxy --data", () => {
  it("imports once into a new file, has each acknowledged terminate on disk, and loads it after a kill", async () => {
    const data = join(dir, "imported.json");
    const first = await startCli(["--import", importFile, "--data", data]);
    // Created before the port opened, with the imported runs.
    expect(stored(data).map((r) => r.name)).toEqual(runs.map((r) => r.name));
    const name = runs[0]!.name;
    expect(await sendTerminate(first.url, name)).toBe(200);
    // On disk when the 200 arrived: read at once, no waiting.
    expect(stateIn(data, name)).toBe("TERMINATING");
    first.child.kill("SIGKILL");
    await first.exit;

    // A restart on the same file serves what it holds; TERMINATING runs finish after the delay (2 s).
    const second = await startCli(["--data", data]);
    expect(["TERMINATING", "TERMINATED"]).toContain(await stateOf(second.url, name));
    expect(await stateOf(second.url, runs[1]!.name)).toBe("IN_PROGRESS");
    expect(await sendTerminate(second.url, runs[1]!.name)).toBe(200);
    expect(stateIn(data, runs[1]!.name)).toBe("TERMINATING");
    const deadline = Date.now() + 10_000;
    while ((await stateOf(second.url, runs[4]!.name)) !== "TERMINATED" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await stateOf(second.url, runs[4]!.name)).toBe("TERMINATED");
    // A clean shutdown writes the final state (pending terminations settled).
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);
    expect(stored(data).map((r) => r.state)).toEqual([
      "TERMINATED",
      "TERMINATED",
      "IN_PROGRESS",
      "IN_PROGRESS",
      "TERMINATED",
    ]);

    // --import again onto the existing file: refused, and the file is left as it was.
    const before = readFileSync(data, "utf8");
    const refused = await runToExit(["--import", importFile, "--data", data]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--data ${data} already exists`);
    expect(readFileSync(data, "utf8")).toBe(before);
  }, 60_000);

  it("creates a missing file from the live demo when there is no --import", async () => {
    const data = join(dir, "demo.json");
    const cli = await startCli(["--data", data]);
    expect(stored(data).length).toBeGreaterThan(50);
    const running = stored(data).find((r) => r.state === "IN_PROGRESS")!;
    expect(await sendTerminate(cli.url, running.name)).toBe(200);
    expect(stateIn(data, running.name)).toBe("TERMINATING");
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
    expect(stateIn(data, running.name)).toBe("TERMINATED");
  }, 60_000);

  it("answers 503 CHANGE_NOT_SAVED when the write fails, and saves the change with the next write", async () => {
    const data = join(dir, "failing.json");
    const cli = await startCli(["--import", importFile, "--data", data]);
    // A non-empty directory where the file was: the rename over it fails, even for root.
    rmSync(data);
    mkdirSync(join(data, "blocker"), { recursive: true });
    const response = await fetch(`${cli.url}/v1/${runs[0]!.name}:terminate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const body = (await response.json()) as {
      error: { status: string; message: string; details: { reason?: string }[] };
    };
    expect(response.status).toBe(503);
    expect(body.error.status).toBe("UNAVAILABLE");
    expect(body.error.message).toContain("could not be saved");
    expect(body.error.message).not.toContain(data);
    expect(body.error.details.map((d) => d.reason)).toContain("CHANGE_NOT_SAVED");
    expect(cli.output.stderr).toContain(`writing --data ${data} failed`);
    // The change was made; once the file can be written again, the next write keeps it.
    expect(await stateOf(cli.url, runs[0]!.name)).toBe("TERMINATING");
    rmSync(data, { recursive: true });
    expect(await sendTerminate(cli.url, runs[1]!.name)).toBe(200);
    expect(stateIn(data, runs[0]!.name)).toBe("TERMINATING");
    expect(stateIn(data, runs[1]!.name)).toBe("TERMINATING");
    cli.child.kill("SIGKILL");
    await cli.exit;
  }, 60_000);

  it.each([
    [
      "a directory that does not exist",
      () => ["--data", join(dir, "no/such/dir/data.json")],
      /cannot be created: its directory does not exist/,
    ],
    [
      "a data file that is not JSON",
      () => {
        writeFileSync(join(dir, "garbage.json"), "{ not json");
        return ["--data", join(dir, "garbage.json")];
      },
      /--data: .*is not JSON/,
    ],
    [
      "a data file with an invalid run",
      () => {
        writeFileSync(join(dir, "invalid.json"), JSON.stringify({ jobRuns: [{ name: "nope" }] }));
        return ["--data", join(dir, "invalid.json")];
      },
      /--data .*jobRuns\[0\]\.name/,
    ],
    [
      "the google backend",
      () => ["--backend", "google", "--data", join(dir, "g.json")],
      /--data only applies to --backend emulator/,
    ],
  ])("exits 2 naming the problem for %s", async (_label, args, message) => {
    const result = await runToExit(args());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
