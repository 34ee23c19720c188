// Google's own Node clients, pointed at the proxy, do get, list (every page) and terminate
// unchanged: googleapis (clouddeploy v1, rootUrl) and @google-cloud/deploy (REST fallback, which
// sends `$alt=json;enum-encoding=int` and `x-goog-request-params`). Each authenticates with the
// proxy's API key as a static OAuth access token, so no call ever goes to Google. Both run against
// the proxy over the emulator and over the google backend (a fake Google serving Google-shaped runs
// newer than our schema): system parameters (`fields`, `quotaUser`) and ErrorInfo (`err.reason`,
// `err.domain`) included.
import { CloudDeployClient } from "@google-cloud/deploy";
import { staticToken } from "@jobrun/client";
import {
  BULK_SIZE,
  CORPUS_PARENT,
  CORPUS_PROJECT,
  conformanceFixture,
  corpusRunName,
  corpusRuns,
  createFakeGoogle,
  OTHER_PROJECT,
  PROJECT,
  rollouts,
} from "@jobrun/conformance";
import { google } from "googleapis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmulatorBackend,
  createGoogleBackend,
  createKeyStore,
  createProxy,
  hashApiKey,
  PROXY_ERROR_DOMAIN,
} from "../src/index.js";
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

  it("passes fields and quotaUser (Google's system parameters) and gets a partial response", async () => {
    const { data } = await jobRuns().get({ name: finished.name!, fields: "name,state", quotaUser: "alice" });
    expect(data).toEqual({ name: finished.name, state: "SUCCEEDED" });
    const { data: page } = await jobRuns().list({
      parent: rollouts.webRel1,
      pageSize: 2,
      fields: "jobRuns(name),nextPageToken",
      quotaUser: "alice",
    });
    expect(page.jobRuns?.map((run) => Object.keys(run))).toEqual([["name"], ["name"]]);
    expect(page.nextPageToken).toBeTruthy();
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
  it("reads the emulated service's ErrorInfo as err.reason and err.domain", async () => {
    const missing = `${rollouts.webRel1}/jobRuns/00000000-0000-4000-8000-ffffffffffff`;
    const error = (await client.getJobRun({ name: missing }).catch((e: unknown) => e)) as {
      code?: number;
      reason?: string;
      domain?: string;
    };
    expect(error.code).toBe(5); // NOT_FOUND
    expect(error.reason).toBe("JOB_RUN_NOT_FOUND");
    expect(error.domain).toBe("clouddeploy.googleapis.com");
  });

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
        reason?: string;
        domain?: string;
        errorInfoMetadata?: Record<string, string>;
      };
      expect(error.code).toBe(7); // PERMISSION_DENIED
      // The proxy refused (a role it decides), and says so in its own ErrorInfo domain.
      expect(error.reason).toBe("ROLE_INSUFFICIENT");
      expect(error.domain).toBe(PROXY_ERROR_DOMAIN);
      expect(error.errorInfoMetadata).toMatchObject({ resource: run.name });
    } finally {
      await reader.close();
    }
  });
});

// Through the google backend: a fake Google serving the corpus, reached with --upstream's option.
describe("Google's clients through the google backend", () => {
  const fake = createFakeGoogle();
  const KEY = "jrp_google_clients_corpus_ddddddddddddddddddddddddddd";
  let upstream: Served;
  let proxied: Served;
  beforeAll(async () => {
    upstream = await serveFetch((request) => fake.fetch(request));
    const keys = createKeyStore([
      { id: "corpus", hash: await hashApiKey(KEY), role: "operator", scopes: [`projects/${CORPUS_PROJECT}`] },
    ]);
    const backend = createGoogleBackend({
      auth: staticToken("ya29.proxy-own"),
      upstream: upstream.url,
      retry: false,
    });
    proxied = await serveFetch(createProxy({ backend, auth: { keys }, log: false }).fetch);
  });
  afterAll(async () => {
    await proxied.close();
    await upstream.close();
  });

  it("googleapis gets runs newer than our schema unchanged, with fields and quotaUser forwarded", async () => {
    const jobRuns = google.clouddeploy({ version: "v1", rootUrl: `${proxied.url}/`, auth: oauthClient(KEY) })
      .projects.locations.deliveryPipelines.releases.rollouts.jobRuns;
    const { data } = await jobRuns.get({ name: corpusRunName("analysis") });
    expect(data).toEqual(corpusRuns.analysis);
    const { data: page } = await jobRuns.list({
      parent: CORPUS_PARENT,
      fields: "jobRuns(name,state)",
      quotaUser: "alice",
    });
    expect(page.jobRuns?.find((run) => run.name === corpusRunName("future"))?.state).toBe("FUTURE_STATE");
    const sent = fake.requests.at(-1)!.url.searchParams;
    expect(sent.get("fields")).toBe("jobRuns(name,state)");
    expect(sent.get("quotaUser")).toBe("alice");
  });

  it("@google-cloud/deploy gets Google's enum numbers, and Google's ErrorInfo as err.reason and err.domain", async () => {
    const client = new CloudDeployClient({
      fallback: true,
      apiEndpoint: "127.0.0.1",
      port: proxied.port,
      protocol: "http",
      authClient: oauthClient(KEY),
    } as ConstructorParameters<typeof CloudDeployClient>[0]);
    try {
      const [run] = await client.getJobRun({ name: corpusRunName("deploy") });
      expect(run.state).toBe("SUCCEEDED");
      // gax asked for numbers ($alt=json;enum-encoding=int), and the proxy forwarded the ask.
      expect(fake.requests.at(-1)!.url.searchParams.get("$alt")).toBe("json;enum-encoding=int");
      const error = (await client
        .terminateJobRun({ name: corpusRunName("deploy") })
        .catch((e: unknown) => e)) as {
        code?: number;
        reason?: string;
        domain?: string;
        errorInfoMetadata?: Record<string, string>;
      };
      // gax maps the HTTP status (400) to a code, whatever the body's status says: against Google too.
      expect(error.code).toBe(3);
      expect(error.reason).toBe("JOB_RUN_NOT_TERMINABLE");
      expect(error.domain).toBe("clouddeploy.googleapis.com");
      expect(error.errorInfoMetadata).toEqual({ jobRun: corpusRunName("deploy"), state: "SUCCEEDED" });
    } finally {
      await client.close();
    }
  });
});
