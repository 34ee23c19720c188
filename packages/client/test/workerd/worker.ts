// A Cloudflare Worker that uses the edge entry of @jobrun/client, bundled by the workerd test and
// run in real workerd (miniflare). It reports what it saw as JSON, so the test can check it.
import { createJobRunsClient, serviceAccountKey, staticToken } from "../../src/index.js";

interface Scenario {
  readonly endpoint: string;
  readonly parent: string;
  /** A service-account key and a token endpoint: sign the JWT inside workerd. */
  readonly keyFile?: string;
  readonly tokenEndpoint?: string;
  /** Only watch: read this many responses of a watch of `parent`, then abort it. */
  readonly watch?: number;
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

/** A watch read through fetch streaming inside workerd: the responses' types, runs and states. */
async function tryWatch(scenario: Scenario, count: number): Promise<Response> {
  const client = createJobRunsClient({ endpoint: scenario.endpoint });
  const controller = new AbortController();
  const seen: string[] = [];
  const modes: string[] = [];
  for await (const response of client.watchJobRuns(
    { parent: scenario.parent },
    { signal: controller.signal, onMode: (mode) => modes.push(mode) },
  )) {
    seen.push(
      [response.type, response.jobRun?.name.split("/").at(-1), response.jobRun?.state].join(" ").trim(),
    );
    if (seen.length === count) controller.abort();
  }
  return Response.json({ seen, modes });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const scenario = (await request.json()) as Scenario;
    if (scenario.limits !== undefined) return tryLimits(scenario.limits);
    if (scenario.watch !== undefined) return tryWatch(scenario, scenario.watch);
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
