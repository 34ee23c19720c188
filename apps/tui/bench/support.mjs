// What the bench's measuring processes share. Plain JavaScript on purpose: they run the built dist
// in a bare `node` (no tsx, no loader), as the `jobrun` binary runs, so time and memory are its own.
import { EventEmitter } from "node:events";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { JobRun_State, JobRunSchema } from "@jobrun/core";

export const PARENT = "projects/bench/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
export const SIZE = { columns: 160, rows: 45 };

/** `count` job runs, newest first, a quarter of them IN_PROGRESS (so the spinner keeps ticking). */
export function benchRuns(count, nowMs) {
  const states = [
    JobRun_State.SUCCEEDED,
    JobRun_State.FAILED,
    JobRun_State.IN_PROGRESS,
    JobRun_State.TERMINATED,
  ];
  return Array.from({ length: count }, (_, i) =>
    create(JobRunSchema, {
      name: `projects/bench/locations/us-central1/deliveryPipelines/web/releases/r${i % 50}/rollouts/r${i % 50}-to-prod-0001/jobRuns/${String(i).padStart(8, "0")}`,
      jobId: `job-${i}`,
      phaseId: "stable",
      state: states[i % states.length],
      createTime: timestampFromMs(nowMs - i * 1000),
      startTime: timestampFromMs(nowMs - i * 1000 + 10),
      jobRun: { case: "deployJobRun", value: { build: "b", failureCause: 0, failureMessage: "" } },
    }),
  );
}

/** A server holding `runs`, paged as the real one pages (refreshes re-read them all). */
export function fakeService(runs) {
  return {
    async listJobRuns({ pageSize, pageToken }) {
      const from = pageToken === "" ? 0 : Number(pageToken);
      const to = Math.min(runs.length, from + Math.min(pageSize || 50, 1000));
      return { jobRuns: runs.slice(from, to), nextPageToken: to < runs.length ? String(to) : "" };
    },
    async getJobRun() {
      throw new Error("not in the bench");
    },
    async terminateJobRun() {
      throw new Error("not in the bench");
    },
  };
}

/** A terminal's stdout as Ink sees it; `onWrite` hears every chunk. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = SIZE.columns;
  rows = SIZE.rows;
  /** @type {((chunk: string) => void) | undefined} */
  onWrite = undefined;
  write(chunk) {
    this.onWrite?.(String(chunk));
    return true;
  }
}

/** A terminal's stdin as Ink reads it (`readable`, then `read()`). */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  press(data) {
    this.data = data;
    this.emit("readable");
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
