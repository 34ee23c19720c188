// Google's own Node clients, pointed at the proxy, do get, list (every page) and terminate
// unchanged: googleapis (clouddeploy v1, rootUrl) and @google-cloud/deploy (REST fallback, which
// sends `$alt=json;enum-encoding=int` and `x-goog-request-params`). Each authenticates with the
// proxy's API key as a static OAuth access token, so no call ever goes to Google.
import { CloudDeployClient } from "@google-cloud/deploy";
import { BULK_SIZE, conformanceFixture, OTHER_PROJECT, PROJECT, rollouts } from "@jobrun/conformance";
import { google } from "googleapis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy } from "../src/index.js";
import { KEYS, testKeyStore } from "./support/keys.js";
import { type Served, serveFetch } from "./support/serve.js";

const fixture = conformanceFixture(100);
let served: Served;
let emulator: ReturnType<typeof createEmulatorBackend>;
const requests: { path: string; status: number; rpc?: unknown }[] = [];

function oauthClient(token: string) {
  const client = new google.auth.OAuth2();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

beforeAll(async () => {
  emulator = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const keys = await testKeyStore(PROJECT, OTHER_PROJECT);
  const app = createProxy({
    backend: emulator,
    auth: { keys },
    log: (entry) => requests.push(entry as never),
  });
  served = await serveFetch(app.fetch);
});

afterAll(async () => {
  emulator.stop();
  await served.close();
});

const finished = fixture.jobRuns.find(
  (run) => run.state === "SUCCEEDED" && run.name!.startsWith(rollouts.webRel1),
)!;
const inProgress = () =>
  emulator
    .exportJobRuns()
    .jobRuns.filter((run) => run.state === "IN_PROGRESS" && run.name!.startsWith(rollouts.terminate));

describe("googleapis (clouddeploy v1 with rootUrl)", () => {
  const jobRuns = () =>
    google.clouddeploy({ version: "v1", rootUrl: `${served.url}/`, auth: oauthClient(KEYS.operator) })
      .projects.locations.deliveryPipelines.releases.rollouts.jobRuns;

  it("gets a run", async () => {
    const { data } = await jobRuns().get({ name: finished.name! });
    expect(data.name).toBe(finished.name);
    expect(data.state).toBe("SUCCEEDED");
    expect(data.uid).toBe(finished.uid);
  });

  it("lists every page", async () => {
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await jobRuns().list({
        parent: rollouts.bulk,
        pageSize: 300,
        ...(pageToken ? { pageToken } : {}),
      });
      names.push(...(data.jobRuns ?? []).map((run) => run.name!));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(names).toHaveLength(BULK_SIZE);
    expect(new Set(names).size).toBe(BULK_SIZE);
  });

  it("terminates a run", async () => {
    const run = inProgress()[0]!;
    const { data, status } = await jobRuns().terminate({ name: run.name!, requestBody: {} });
    expect(status).toBe(200);
    expect(data).toEqual({});
    expect((await jobRuns().get({ name: run.name! })).data.state).toMatch(/^TERMINAT/);
  });

  it("gets PERMISSION_DENIED as a GaxiosError with Google's error shape", async () => {
    const other = fixture.jobRuns.find((run) => run.name!.startsWith(`projects/${OTHER_PROJECT}/`))!;
    const error = await jobRuns()
      .get({ name: other.name! })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(403);
  });
});

describe("@google-cloud/deploy (REST fallback)", () => {
  let client: CloudDeployClient;
  beforeAll(() => {
    client = new CloudDeployClient({
      fallback: true,
      apiEndpoint: "127.0.0.1",
      port: served.port,
      protocol: "http",
      authClient: oauthClient(KEYS.operator),
    } as ConstructorParameters<typeof CloudDeployClient>[0]);
  });
  afterAll(() => client.close());

  it("gets a run (numeric enums on the wire, names in the result)", async () => {
    const before = requests.length;
    const [run] = await client.getJobRun({ name: finished.name! });
    expect(run.name).toBe(finished.name);
    expect(run.state).toBe("SUCCEEDED");
    expect(requests.slice(before).every((r) => r.status === 200)).toBe(true);
  });

  it("lists every page (auto-pagination)", async () => {
    const [runs] = await client.listJobRuns({ parent: rollouts.bulk });
    expect(runs).toHaveLength(BULK_SIZE);
    const viaAsync: string[] = [];
    for await (const run of client.listJobRunsAsync({ parent: rollouts.webRel1, pageSize: 2 }))
      viaAsync.push(run.name!);
    expect(viaAsync.length).toBe(
      fixture.jobRuns.filter((r) => r.name!.startsWith(`${rollouts.webRel1}/`)).length,
    );
  });

  it("terminates a run", async () => {
    const run = inProgress()[0]!;
    const [response] = await client.terminateJobRun({ name: run.name! });
    expect(response).toBeTruthy();
    const [after] = await client.getJobRun({ name: run.name! });
    expect(String(after.state)).toMatch(/^TERMINAT/);
  });

  it("gets a Google-style error for a reader's terminate", async () => {
    const reader = new CloudDeployClient({
      fallback: true,
      apiEndpoint: "127.0.0.1",
      port: served.port,
      protocol: "http",
      authClient: oauthClient(KEYS.reader),
    } as ConstructorParameters<typeof CloudDeployClient>[0]);
    try {
      const run = inProgress()[0]!;
      const error = (await reader.terminateJobRun({ name: run.name! }).catch((e: unknown) => e)) as {
        code?: number;
      };
      expect(error.code).toBe(7); // PERMISSION_DENIED
    } finally {
      await reader.close();
    }
  });
});
