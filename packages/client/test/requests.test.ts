import { ApiError, JobRun_State } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_VERSION, createJobRunsClient, staticToken } from "../src/index.js";
import { JOB_RUN, jobRunJson, listPageJson, ROLLOUT } from "./support/fixtures.js";
import { sendJson, startTestServer, type TestServer } from "./support/http-server.js";

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
    expect(seen?.url).toBe(`/v1/${JOB_RUN}`);
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
    expect(seen?.url).toBe(`/v1/${JOB_RUN}:terminate`);
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen!.body)).toEqual({ overrideDeployPolicy: [policy] });
  });

  it("asks for numeric enums when enumEncoding is int, and reads them", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, { ...jobRunJson(), state: 3 }));
    const client = createJobRunsClient({ endpoint: server.url, enumEncoding: "int" });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.state).toBe(JobRun_State.FAILED);
    expect(new URL(server.requests[0]!.url, server.url).searchParams.get("$alt")).toBe(
      "json;enum-encoding=int",
    );
  });

  it("keeps an endpoint's path prefix", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: `${server.url}/deploy/` });
    await client.getJobRun({ name: JOB_RUN });
    expect(server.requests[0]?.url).toBe(`/deploy/v1/${JOB_RUN}`);
    expect(client.endpoint).toBe(`${server.url}/deploy`);
  });

  it("percent-encodes each name segment, so no value escapes its segment", async () => {
    server = await startTestServer((_, response) => sendJson(response, 200, jobRunJson()));
    const client = createJobRunsClient({ endpoint: server.url });
    const scoped = JOB_RUN.replace(/^projects\/[^/]+\//, "projects/example.com:acme/");
    await client.getJobRun({ name: scoped });
    expect(server.requests[0]?.url).toBe(`/v1/${scoped.replace("example.com:acme", "example.com%3Aacme")}`);
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
});
