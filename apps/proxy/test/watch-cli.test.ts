// The README's promise, with the real bin: `curl -N localhost:8787/v1/{rollout}/jobRuns:watch` on the
// emulator proxy prints the initial state and then each change live; a terminate from another shell
// shows up within 100 ms; SIGTERM ends open watch streams instead of waiting on them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { killAll, startCli } from "./support/cli-process.js";
import { openSse } from "./support/sse-reader.js";

const ROLLOUT =
  "projects/demo/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/rel-1-to-prod-0001";
const run = (id: string, state: string) => ({
  name: `${ROLLOUT}/jobRuns/${id}`,
  jobId: "deploy",
  state,
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {},
});
const dir = mkdtempSync(join(tmpdir(), "jobrun-watch-cli-"));
const dataFile = join(dir, "runs.json");
writeFileSync(dataFile, JSON.stringify({ jobRuns: [run("a", "IN_PROGRESS"), run("b", "SUCCEEDED")] }));

afterAll(() => killAll());

describe("jobrun-proxy watch", () => {
  it("streams the initial state and a terminate from another connection, live; SIGTERM ends the stream", async () => {
    const { child, url, exit } = await startCli(["--import", dataFile, "--watch-max-per-caller", "1"]);
    const stream = await openSse(`${url}/v1/${ROLLOUT}/jobRuns:watch`);
    expect(stream.status).toBe(200);
    const initial = (await stream.take(3)) as { type: string; jobRun?: { state: string } }[];
    expect(initial.map((e) => e.type)).toEqual(["EXISTING", "EXISTING", "SYNCED"]);
    // --watch-max-per-caller 1: the same (anonymous) caller may not open a second.
    const second = await openSse(`${url}/v1/${ROLLOUT}/jobRuns:watch`);
    expect(second.status).toBe(429);
    const terminated = await fetch(`${url}/v1/${ROLLOUT}/jobRuns/a:terminate`, { method: "POST" });
    const answeredAt = performance.now();
    expect(terminated.status).toBe(200);
    const changed = await stream.next();
    // Within 100 ms of the terminate's own answer (the run changes before that answer is sent): what
    // the watch adds, not the scheduling of two processes on a loaded machine.
    expect((changed?.receivedAt ?? Number.POSITIVE_INFINITY) - answeredAt).toBeLessThan(100);
    const data = JSON.parse(changed?.data ?? "{}") as { type: string; jobRun: { state: string } };
    expect([data.type, data.jobRun.state]).toEqual(["CHANGED", "TERMINATING"]);
    const stopping = performance.now();
    child.kill("SIGTERM");
    await stream.ended;
    expect(await exit).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(3000);
  });

  it("refuses a watch flag that makes no sense with one clear line and exit 2", async () => {
    await expect(startCli(["--watch-max-backlog", "0"])).rejects.toThrow(
      /--watch-max-backlog must be a whole number of at least 1/,
    );
  });
});
