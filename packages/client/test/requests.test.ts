import { ApiError, failureOf, JobRun_State, stateName } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_VERSION, createJobRunsClient, staticToken } from "../src/index.js";
import { JOB_RUN, jobRunJson, listPageJson, ROLLOUT } from "./support/fixtures.js";
import { sendJson, startTestServer, type TestServer } from "./support/http-server.js";

/** The system parameter every request carries by default: enums as numbers. */
const NUMERIC_ENUMS = `?${new URLSearchParams({ $alt: "json;enum-encoding=int" })}`;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("requests", () => {
  it("gets a JobRun with the route table's path, the routing header and a user agent naming jobrun", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({
      endpoint: server.url,
      auth: staticToken("tok-1"),
      userAgent: "my-tool/2.0",
    });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.name).toBe(JOB_RUN);
    expect(run.state).toBe(JobRun_State.IN_PROGRESS);
    expect(run.jobRun.case).toBe("deployJobRun");
    const [seen] = server.requests;
    expect(seen?.method).toBe("GET");
    expect(seen?.url).toBe(`/v1/${JOB_RUN}${NUMERIC_ENUMS}`);
    expect(seen?.headers["x-goog-request-params"]).toBe(`name=${encodeURIComponent(JOB_RUN)}`);
    expect(seen?.headers["user-agent"]).toBe(`my-tool/2.0 jobrun-client/${CLIENT_VERSION}`);
    expect(seen?.headers.authorization).toBe("Bearer tok-1");
    expect(seen?.headers.accept).toBe("application/json");
  });

  it("lists with paging parameters in the query and the parent in the routing header", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, listPageJson(2, "next")));
    const client = createJobRunsClient({ endpoint: server.url });
    const page = await client.listJobRuns({
      parent: ROLLOUT,
      pageSize: 2,
      filter: 'state="FAILED"',
      orderBy: "createTime desc",
    });
    expect(page.jobRuns).toHaveLength(2);
    expect(page.nextPageToken).toBe("next");
    const url = new URL(server.requests[0]!.url, server.url);
    expect(url.pathname).toBe(`/v1/${ROLLOUT}/jobRuns`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      pageSize: "2",
      filter: 'state="FAILED"',
      orderBy: "createTime desc",
      $alt: "json;enum-encoding=int",
    });
    expect(server.requests[0]!.headers["x-goog-request-params"]).toBe(
      `parent=${encodeURIComponent(ROLLOUT)}`,
    );
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("terminates with a JSON body and POST :terminate", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, {}));
    const client = createJobRunsClient({ endpoint: server.url });
    const policy = "projects/demo/locations/us-central1/deployPolicies/freeze";
    const result = await client.terminateJobRun({ name: JOB_RUN, overrideDeployPolicy: [policy] });
    expect(result.$typeName).toBe("google.cloud.deploy.v1.TerminateJobRunResponse");
    const [seen] = server.requests;
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe(`/v1/${JOB_RUN}:terminate${NUMERIC_ENUMS}`);
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen!.body)).toEqual({ overrideDeployPolicy: [policy] });
  });

  it("asks for numeric enums by default, as gax does, and reads them", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, { ...jobRunJson(), state: 3 }));
    const client = createJobRunsClient({ endpoint: server.url });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.state).toBe(JobRun_State.FAILED);
    expect(new URL(server.requests[0]!.url, server.url).searchParams.get("$alt")).toBe(
      "json;enum-encoding=int",
    );
  });

  it('enumEncoding: "name" asks for names (no $alt)', async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: server.url, enumEncoding: "name" });
    expect((await client.getJobRun({ name: JOB_RUN })).state).toBe(JobRun_State.IN_PROGRESS);
    expect(new URL(server.requests[0]!.url, server.url).search).toBe("");
  });

  it("keeps an enum value newer than this schema as its number, and names it readably", async () => {
    server = await startTestServer((_, response) =>
      sendJson(response, 200, {
        ...jobRunJson(),
        state: 7,
        deployJobRun: { failureCause: 42, failureMessage: "a new kind of failure" },
      }),
    );
    const client = createJobRunsClient({ endpoint: server.url });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.state).toBe(7);
    expect(stateName(run.state)).toBe("STATE_7");
    expect(failureOf(run)).toMatchObject({ cause: "FAILURE_CAUSE_42", message: "a new kind of failure" });
  });

  it("keeps unknown numbers across a whole list page", async () => {
    const page = listPageJson(3);
    page.jobRuns = page.jobRuns.map((run, i) => ({ ...run, state: [7, 1, 99][i] as never }));
    server = await startTestServer((_, response) => sendJson(response, 200, page));
    const client = createJobRunsClient({ endpoint: server.url });
    const { jobRuns } = await client.listJobRuns({ parent: ROLLOUT });
    expect(jobRuns.map((run) => stateName(run.state))).toEqual(["STATE_7", "IN_PROGRESS", "STATE_99"]);
  });

  it("an enum name it cannot know does not break decoding (a server that answers with names)", async () => {
    const page = listPageJson(2);
    (page.jobRuns[0] as Record<string, unknown>).state = "FUTURE_STATE";
    server = await startTestServer((request, response) =>
      request.url.includes("jobRuns?") || request.url.endsWith("/jobRuns")
        ? sendJson(response, 200, page)
        : sendJson(response, 200, { ...jobRunJson(), state: "FUTURE_STATE" }),
    );
    const client = createJobRunsClient({ endpoint: server.url });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.name).toBe(JOB_RUN);
    expect(run.state).toBe(JobRun_State.STATE_UNSPECIFIED);
    const { jobRuns } = await client.listJobRuns({ parent: ROLLOUT });
    expect(jobRuns.map((r) => r.state)).toEqual([JobRun_State.STATE_UNSPECIFIED, JobRun_State.FAILED]);
    expect(jobRuns[1]?.name).toBe(page.jobRuns[1]?.name);
  });

  it("keeps an endpoint's path prefix", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: `${server.url}/deploy/` });
    await client.getJobRun({ name: JOB_RUN });
    expect(server.requests[0]?.url).toBe(`/deploy/v1/${JOB_RUN}${NUMERIC_ENUMS}`);
    expect(client.endpoint).toBe(`${server.url}/deploy`);
  });

  it("percent-encodes each name segment, so no value escapes its segment", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: server.url });
    const scoped = JOB_RUN.replace(/^projects\/[^/]+\//, "projects/example.com:acme/");
    await client.getJobRun({ name: scoped });
    expect(server.requests[0]?.url).toBe(
      `/v1/${scoped.replace("example.com:acme", "example.com%3Aacme")}${NUMERIC_ENUMS}`,
    );
  });

  it("refuses a name core's parser refuses (a space, ?, #) before any request, as the server would", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: server.url });
    const error = await client.getJobRun({ name: `${ROLLOUT}/jobRuns/a b?c#d` }).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
    expect((error as ApiError).message).toMatch(/jobRun segment contains " "/);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a malformed name before any request, naming the field", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, {}));
    const client = createJobRunsClient({ endpoint: server.url });
    const error = await client.getJobRun({ name: "projects/p/jobRuns/x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
    expect((error as ApiError).message).toMatch(/name/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("quota project", () => {
  it("sends quotaProject as x-goog-user-project, and nothing without one", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    await createJobRunsClient({ endpoint: server.url, quotaProject: "billing-project" }).getJobRun({
      name: JOB_RUN,
    });
    await createJobRunsClient({ endpoint: server.url }).getJobRun({ name: JOB_RUN });
    expect(server.requests.map((r) => r.headers["x-goog-user-project"])).toEqual([
      "billing-project",
      undefined,
    ]);
  });
});

describe("endpoint", () => {
  it.each([
    ["not a url", /not an absolute URL/],
    ["ftp://example.com", /http: or https:/],
    ["https://user:secret@example.com", /credentials/],
    ["https://example.com/?x=1", /query/],
  ])("refuses %s with a clear error", (endpoint, message) => {
    expect(() => createJobRunsClient({ endpoint })).toThrow(message);
  });

  it("never echoes credentials found in an endpoint", () => {
    expect(() => createJobRunsClient({ endpoint: "https://user:hunter2@example.com" })).not.toThrow(
      /hunter2/,
    );
  });

  it("defaults to Google's endpoint", () => {
    expect(createJobRunsClient().endpoint).toBe("https://clouddeploy.googleapis.com");
  });

  it("universeDomain moves the default endpoint to clouddeploy.<universe>; an explicit endpoint wins", () => {
    expect(createJobRunsClient({ universeDomain: "sovereign-cloud.example" }).endpoint).toBe(
      "https://clouddeploy.sovereign-cloud.example",
    );
    expect(createJobRunsClient({ universeDomain: "googleapis.com" }).endpoint).toBe(
      "https://clouddeploy.googleapis.com",
    );
    expect(
      createJobRunsClient({ universeDomain: "sovereign-cloud.example", endpoint: "http://localhost:8787" })
        .endpoint,
    ).toBe("http://localhost:8787");
  });

  it.each([
    [
      "a universeDomain that is not a domain",
      { universeDomain: "evil.example/path#" },
      /universeDomain must be a domain name/,
    ],
    ["an empty universeDomain", { universeDomain: "" }, /universeDomain must be a domain name/],
    [
      "a quotaProject with a line break",
      { quotaProject: "p\r\nx-evil: 1" },
      /quotaProject must be a project id or number/,
    ],
    ["an empty quotaProject", { quotaProject: "" }, /quotaProject must be a project id or number/],
  ])("refuses %s when the client is made", (_, options, message) => {
    expect(() => createJobRunsClient(options)).toThrow(message);
  });
});
