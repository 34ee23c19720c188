// A Cloudflare Worker that uses the edge entry of @jobrun/client, bundled by the workerd test and
// run in real workerd (miniflare). It reports what it saw as JSON, so the test can check it.
import { createJobRunsClient, serviceAccountKey, staticToken } from "../../src/index.js";

interface Scenario {
  readonly endpoint: string;
  readonly parent: string;
  /** A service-account key and a token endpoint: sign the JWT inside workerd. */
  readonly keyFile?: string;
  readonly tokenEndpoint?: string;
  /** Only try the response limits: a terminate that is redirected, a get past maxResponseBytes. */
  readonly limits?: {
    readonly redirectingEndpoint: string;
    readonly hugeEndpoint: string;
    readonly name: string;
  };
}

const codeAndMessage = (error: { code: string; message: string }) => ({
  code: error.code,
  message: error.message,
});

async function tryLimits(limits: NonNullable<Scenario["limits"]>): Promise<Response> {
  const redirected = await createJobRunsClient({ endpoint: limits.redirectingEndpoint })
    .terminateJobRun({ name: limits.name })
    .then(() => undefined, codeAndMessage);
  const huge = await createJobRunsClient({ endpoint: limits.hugeEndpoint, maxResponseBytes: 64 * 1024 })
    .getJobRun({ name: limits.name })
    .then(() => undefined, codeAndMessage);
  return Response.json({ redirected, huge });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const scenario = (await request.json()) as Scenario;
    if (scenario.limits !== undefined) return tryLimits(scenario.limits);
    const auth =
      scenario.keyFile === undefined
        ? staticToken("worker-token")
        : serviceAccountKey(scenario.keyFile, { tokenEndpoint: scenario.tokenEndpoint! });
    const client = createJobRunsClient({
      endpoint: scenario.endpoint,
      auth,
      userAgent: "jobrun-worker-test",
    });
    const names: string[] = [];
    for await (const run of client.listAllJobRuns({ parent: scenario.parent, pageSize: 2 }))
      names.push(run.name);
    const first = await client.getJobRun({ name: names[0]! });
    const missing = await client.getJobRun({ name: `${scenario.parent}/jobRuns/nope` }).then(
      () => undefined,
      (error: { code: string; httpStatus: number; name: string }) => ({
        code: error.code,
        httpStatus: error.httpStatus,
        name: error.name,
      }),
    );
    const aborted = await client.getJobRun({ name: names[0]! }, { signal: AbortSignal.abort() }).then(
      () => undefined,
      (error: { code: string }) => error.code,
    );
    return Response.json({
      names,
      first: { name: first.name, state: first.state, createSeconds: String(first.createTime?.seconds) },
      missing,
      aborted,
    });
  },
};
