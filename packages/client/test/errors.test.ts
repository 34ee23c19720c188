import { ApiError, RESOURCE_INFO_TYPE } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { createJobRunsClient, resourceNameOf } from "../src/index.js";
import { JOB_RUN, jobRunJson, ROLLOUT } from "./support/fixtures.js";
import { sendJson, startTestServer, type TestHandler, type TestServer } from "./support/http-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function getWith(handler: TestHandler): Promise<ApiError> {
  server = await startTestServer(handler);
  const client = createJobRunsClient({ endpoint: server.url, retry: false });
  const error = await client.getJobRun({ name: JOB_RUN }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("HTTP errors", () => {
  it("reads Google's error body: code, status, message, details, and names the resource", async () => {
    const details = [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "NOT_FOUND", domain: "x" },
    ];
    const error = await getWith((_, response) =>
      sendJson(response, 404, {
        error: { code: 404, message: "JobRun not found", status: "NOT_FOUND", details },
      }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect(error.codeNumber).toBe(5);
    expect(error.httpStatus).toBe(404);
    expect(error.message).toBe("JobRun not found");
    expect(error.details[0]).toEqual(details[0]);
    expect(resourceNameOf(error)).toBe(JOB_RUN);
    expect(error.toJSON().error.status).toBe("NOT_FOUND");
  });

  it("keeps a ResourceInfo the server sent", async () => {
    const info = { "@type": RESOURCE_INFO_TYPE, resourceName: "projects/x", resourceType: "t" };
    const error = await getWith((_, response) =>
      sendJson(response, 403, {
        error: { code: 403, message: "denied", status: "PERMISSION_DENIED", details: [info] },
      }),
    );
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.details).toEqual([info]);
  });

  it("maps a bare 500 HTML page from its status and says the body is not JSON", async () => {
    const error = await getWith((_, response) => {
      response.writeHead(500, { "content-type": "text/html" });
      response.end("<html>oops</html>");
    });
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toMatch(/not JSON/);
  });

  it("says so when an error's body is empty", async () => {
    const error = await getWith((_, response) => {
      response.writeHead(502);
      response.end();
    });
    expect(error.message).toMatch(/empty body/);
  });
});

describe("bodies of a 2xx answer", () => {
  const raw =
    (text: string, headers: Record<string, string> = {}): TestHandler =>
    (_, response) => {
      response.writeHead(200, { "content-type": "application/json", ...headers });
      response.end(text);
    };

  it("an empty body is an error that says so", async () => {
    const error = await getWith(raw(""));
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toMatch(/GetJobRun .*jobRuns.*: the response body is empty/);
  });

  it("a body that is not JSON is an error that says so", async () => {
    const error = await getWith(raw("<html>captive portal</html>"));
    expect(error.message).toMatch(/the response body is not JSON: "<html>captive portal/);
  });

  it("a body whose JSON ends early is called truncated", async () => {
    const text = JSON.stringify(jobRunJson());
    const error = await getWith(raw(text.slice(0, text.length / 2)));
    expect(error.message).toMatch(/truncated/);
  });

  it("a body cut off before its Content-Length is a connection failure (UNAVAILABLE) with its cause", async () => {
    const text = JSON.stringify(jobRunJson());
    const error = await getWith((_, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(text.length) });
      response.write(text.slice(0, 20));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/reading the response body/);
    expect(error.cause).toBeDefined();
  });

  it("a field of the wrong type is refused with its path", async () => {
    const error = await getWith((_, response) =>
      sendJson(
        response,
        200,
        jobRunJson(JOB_RUN, { deployJobRun: { metadata: { cloudRun: { serviceUrls: [7] } } } } as never),
      ),
    );
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toMatch(/deployJobRun\.metadata\.cloudRun\.serviceUrls\[0\]/);
    expect(JSON.stringify(error.details)).toMatch(/serviceUrls\[0\]/);
  });

  it("an enum name it does not know and fields it does not know are ignored", async () => {
    server = await startTestServer((_, response) =>
      sendJson(response, 200, { ...jobRunJson(), state: "PAUSED_BY_A_NEWER_API", brandNewField: { x: 1 } }),
    );
    const client = createJobRunsClient({ endpoint: server.url });
    const run = await client.getJobRun({ name: JOB_RUN });
    expect(run.state).toBe(0);
    expect(run.etag).toBe("abc123");
  });
});

describe("network failures", () => {
  it("a reset connection is UNAVAILABLE with the cause attached", async () => {
    const error = await getWith((_, response) => {
      response.socket?.destroy();
    });
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("a refused connection is UNAVAILABLE", async () => {
    server = await startTestServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const client = createJobRunsClient({ endpoint: url, retry: false });
    const error = (await client.listJobRuns({ parent: ROLLOUT }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toContain(ROLLOUT);
  });
});
