import { equals } from "@bufbuild/protobuf";
import { type ApiError, JobRun_State, JobRunSchema } from "@jobrun/core";
import { createEmulator, createManualClock, type Emulator } from "@jobrun/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunsClient, type JobRunsClient } from "../src/index.js";
import { type ServiceServer, serveJobRunService } from "./support/service-server.js";

let emulator: Emulator;
let server: ServiceServer;
let client: JobRunsClient;
let parent: string;

beforeAll(async () => {
  emulator = createEmulator({ clock: createManualClock(), seed: 7, demo: true });
  server = await serveJobRunService(emulator);
  client = createJobRunsClient({ endpoint: server.url });
  // The rollout with the most runs, so paging has something to page through.
  const counts = new Map<string, number>();
  for (const run of emulator.exportJobRuns().jobRuns) {
    const rollout = run.name!.slice(0, run.name!.indexOf("/jobRuns/"));
    counts.set(rollout, (counts.get(rollout) ?? 0) + 1);
  }
  parent = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
});
afterAll(async () => {
  await server.close();
});

describe("the client against the emulator over real HTTP", () => {
  it("gets the same JobRun the emulator holds", async () => {
    const { jobRuns } = await emulator.listJobRuns({ parent });
    const expected = jobRuns[0]!;
    const run = await client.getJobRun({ name: expected.name });
    expect(equals(JobRunSchema, run, expected)).toBe(true);
    expect(run).toEqual(expected);
  });

  it("pages exactly as the emulator does", async () => {
    const direct = await emulator.listJobRuns({ parent, pageSize: 2 });
    const viaHttp = await client.listJobRuns({ parent, pageSize: 2 });
    expect(viaHttp.jobRuns.map((run) => run.name)).toEqual(direct.jobRuns.map((run) => run.name));
    expect(viaHttp.nextPageToken === "").toBe(direct.nextPageToken === "");
  });

  it("listAllJobRuns yields every run of the rollout, and stops fetching on break", async () => {
    const all: string[] = [];
    for await (const run of client.listAllJobRuns({ parent, pageSize: 1 })) all.push(run.name);
    const direct = await emulator.listJobRuns({ parent, pageSize: 1000 });
    expect(all).toEqual(direct.jobRuns.map((run) => run.name));
    const before = server.requestCount();
    for await (const _ of client.listAllJobRuns({ parent, pageSize: 1 })) break;
    expect(server.requestCount() - before).toBe(1);
  });

  it("reads numeric enums when asked for them", async () => {
    const intClient = createJobRunsClient({ endpoint: server.url, enumEncoding: "int" });
    const page = await intClient.listJobRuns({ parent });
    const direct = await emulator.listJobRuns({ parent });
    expect(page.jobRuns.map((run) => run.state)).toEqual(direct.jobRuns.map((run) => run.state));
  });

  it("terminates an IN_PROGRESS run, and refuses a finished one with FAILED_PRECONDITION", async () => {
    const runs = emulator.exportJobRuns().jobRuns;
    const running = runs.find((run) => run.state === "IN_PROGRESS");
    const finished = runs.find((run) => run.state === "SUCCEEDED");
    expect(running).toBeDefined();
    await client.terminateJobRun({ name: running!.name! });
    expect((await client.getJobRun({ name: running!.name! })).state).toBe(JobRun_State.TERMINATING);
    const error = (await client
      .terminateJobRun({ name: finished!.name! })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("FAILED_PRECONDITION");
  });

  it("NOT_FOUND comes back as the emulator's ApiError", async () => {
    const error = (await client
      .getJobRun({ name: `${parent}/jobRuns/does-not-exist` })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("NOT_FOUND");
    expect(error.httpStatus).toBe(404);
  });
});
