// A Cloudflare Worker serving the emulator's main entry, bundled by workerd.test.ts and run in real
// workerd (miniflare). Like the proxy's Worker it keeps one emulator per isolate across requests, and
// timers set during a request do not outlive it: every transition must come from the clock.
import { type Clock, createEmulator, type Emulator } from "../../src/index.js";

const RUN = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/a";
const everything = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

// Deployed Workers cancel a request's timers once its response is sent; local workerd lets them run.
// This clock does what production does: every timer still pending when a response goes out is cleared,
// so a transition that relied on a timer would never happen here either.
let timersSet = 0;
const liveTimers = new Set<ReturnType<typeof setTimeout>>();
const requestScopedClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    timersSet++;
    const handle = setTimeout(() => {
      liveTimers.delete(handle);
      callback();
    }, ms);
    liveTimers.add(handle);
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
    liveTimers.delete(handle as ReturnType<typeof setTimeout>);
  },
};

function dropRequestTimers(): void {
  for (const handle of liveTimers) clearTimeout(handle);
  liveTimers.clear();
}

// One emulator per mode ("on": default timers, "off": timers: false), created on first use: workerd
// allows neither timers nor random numbers at module scope, only inside a request.
const emulators = new Map<string, Emulator>();

function emulatorFor(mode: string): Emulator {
  let emulator = emulators.get(mode);
  if (emulator === undefined) {
    emulator = createEmulator({
      clock: requestScopedClock,
      timers: mode !== "off",
      terminateDelayMs: 300,
      jobRuns: {
        jobRuns: [{ name: RUN, uid: "u", state: "IN_PROGRESS", createTime: "2025-01-01T00:00:00Z" }],
      },
      demo: { seed: 3, tickMs: 100, jobDurationMs: [200, 400] },
    });
    emulator.start();
    emulators.set(mode, emulator);
  }
  return emulator;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const emulator = emulatorFor(url.searchParams.get("timers") ?? "on");
    timersSet = 0;
    try {
      return await serve(request, emulator);
    } finally {
      dropRequestTimers();
    }
  },
};

async function serve(request: Request, emulator: Emulator): Promise<Response> {
  // workerd's clock moves only between I/O, but read it around the call anyway to bound the due time.
  const terminatedFrom = Date.now();
  if (request.method === "POST") await emulator.terminateJobRun({ name: RUN });
  const terminatedTo = Date.now();
  const run = await emulator.getJobRun({ name: RUN });
  const running = await emulator.listJobRuns({ parent: everything, filter: "state=IN_PROGRESS" });
  return Response.json({
    terminatedFrom,
    terminatedTo,
    now: Date.now(),
    state: run.state,
    etag: run.etag,
    endMs:
      run.endTime === undefined ? undefined : Number(run.endTime.seconds) * 1000 + run.endTime.nanos / 1e6,
    running: running.jobRuns.map((r) => r.name),
    size: emulator.size,
    timersSet,
  });
}
