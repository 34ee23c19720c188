// The proxy answers without a promise wherever nothing needs waiting for: over an in-memory backend
// (the emulator's ImmediateAnswers), with no body to read and a finished run already encoded. Then
// Hono and @hono/node-server write the answer at once; a promise on the way cost each GET about a
// third of the proxy's throughput (bench/throughput.ts). These tests hold both halves of that
// bargain over real HTTP: which answers come synchronously, and that they are the very answers the
// ordinary, asynchronous path gives for the same requests.
import { type JobRun, JobRun_State, type JobRunService, listAllJobRuns } from "@jobrun/core";
import { createEmulator, type Emulator } from "@jobrun/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, memoryRateLimiter } from "../src/index.js";
import { type Served, serveFetch } from "./support/serve.js";

/** The emulator seen only through JobRunService: every call is a promise. */
function asyncOnly(emulator: Emulator): JobRunService {
  return {
    getJobRun: (request, options) => emulator.getJobRun(request, options),
    listJobRuns: (request, options) => emulator.listJobRuns(request, options),
    terminateJobRun: (request, options) => emulator.terminateJobRun(request, options),
  };
}

interface Recorded {
  readonly served: Served;
  /** Whether each answer so far was handed back without a promise, in order. */
  readonly immediate: boolean[];
}

/** Serves a proxy over real HTTP, recording whether the app answered each request synchronously. */
async function serveRecorded(backend: JobRunService, rateLimit = false): Promise<Recorded> {
  const app = createProxy({
    backend,
    auth: "none",
    log: false,
    cancelOnDisconnect: false,
    ...(rateLimit ? { rateLimit: memoryRateLimiter({ requestsPerMinute: 60, burst: 2 }) } : {}),
  });
  const immediate: boolean[] = [];
  const served = await serveFetch((request, env) => {
    const answer = app.fetch(request, env);
    immediate.push(!(answer instanceof Promise));
    return answer;
  });
  return { served, immediate };
}

const emulator = createEmulator({ seed: 7 });
const EVERY_ROLLOUT = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
let fast: Recorded;
let slow: Recorded;
let runs: JobRun[];

beforeAll(async () => {
  fast = await serveRecorded(emulator);
  slow = await serveRecorded(asyncOnly(emulator));
  runs = [];
  for await (const run of listAllJobRuns(emulator, { parent: EVERY_ROLLOUT })) runs.push(run);
});
afterAll(async () => {
  await fast.served.close();
  await slow.served.close();
});

/** A response as a caller sees it, less what differs per request. */
async function seen(
  response: Response,
): Promise<{ status: number; headers: [string, string][]; body: string }> {
  const headers = [...response.headers].filter(([name]) => name !== "x-request-id" && name !== "date");
  return { status: response.status, headers, body: await response.text() };
}

/** Sends the same request to both proxies; resolves with what each answered and whether at once. */
async function both(path: string, init: RequestInit = {}) {
  const a = await seen(await fetch(`${fast.served.url}${path}`, init));
  const b = await seen(await fetch(`${slow.served.url}${path}`, init));
  return { fast: a, slow: b, immediate: fast.immediate.at(-1), slowImmediate: slow.immediate.at(-1) };
}

describe("answers given at once over an in-memory backend", () => {
  it("a finished run (once encoded), a running one, a page, a 404: synchronously, and byte for byte as the async path", async () => {
    const finished = runs.find((run) => run.state === JobRun_State.SUCCEEDED);
    const running = runs.find((run) => run.state === JobRun_State.IN_PROGRESS);
    expect(finished).toBeDefined();
    expect(running).toBeDefined();
    const parent = finished?.name.slice(0, finished.name.indexOf("/jobRuns/"));
    // The first GET of a finished run hashes its bytes for the ETag (Web Crypto: a promise).
    const first = await both(`/v1/${finished?.name}`);
    expect(first.immediate).toBe(false);
    for (const path of [
      `/v1/${finished?.name}`,
      `/v1/${finished?.name}?$alt=json;enum-encoding=int&prettyPrint=false`,
      `/v1/${running?.name}`,
      `/v1/${parent}/jobRuns?pageSize=3`,
      `/v1/${parent}/jobRuns?filter=${encodeURIComponent('state="SUCCEEDED"')}`,
      `/v1/${parent}/jobRuns/no-such-run`,
      `/v1/${parent}/jobRuns?filter=${encodeURIComponent("state=")}`,
      "/v1/projects/p/nowhere",
    ]) {
      let answered = await both(path);
      // The second GET of a representation is the one served from the memo.
      if (path.includes("enum-encoding")) answered = await both(path);
      expect({ path, immediate: answered.immediate }).toEqual({ path, immediate: true });
      // The comparison means something only if the other proxy took the asynchronous path: all but
      // the unknown path (refused by the route step, before any backend call) did.
      expect(answered.slowImmediate).toBe(path.startsWith("/v1/projects/p/"));
      expect(answered.fast).toEqual(answered.slow);
    }
    // A conditional GET: 304 at once, with the same ETag the async path gives.
    const etag = first.fast.headers.find(([name]) => name === "etag")?.[1] ?? "";
    const revalidated = await both(`/v1/${finished?.name}`, { headers: { "if-none-match": etag } });
    expect(revalidated.fast.status).toBe(304);
    expect(revalidated.immediate).toBe(true);
    expect(revalidated.fast).toEqual(revalidated.slow);
  });

  it("a terminate still waits: the change is answered once made, and both paths agree on the run after it", async () => {
    const running = (
      await emulator.listJobRuns({
        parent: EVERY_ROLLOUT,
        filter: 'state="IN_PROGRESS"',
      })
    ).jobRuns;
    const [one, two] = running;
    expect(two).toBeDefined();
    const terminated = await fetch(`${fast.served.url}/v1/${one?.name}:terminate`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(terminated.status).toBe(200);
    expect(fast.immediate.at(-1)).toBe(false);
    const after = await both(`/v1/${one?.name}`);
    expect(JSON.parse(after.fast.body).state).toBe("TERMINATING");
    expect(after.fast).toEqual(after.slow);
  });

  it("a synchronous rate limiter refuses at once, past the burst, as before", async () => {
    const limited = await serveRecorded(emulator, true);
    try {
      const finished = runs.find((run) => run.state === JobRun_State.FAILED) ?? runs[0];
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await fetch(`${limited.served.url}/v1/${finished?.name}`)).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
      expect(limited.immediate.slice(1)).toEqual([true, true, true]);
    } finally {
      await limited.served.close();
    }
  });
});
