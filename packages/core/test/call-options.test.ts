import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { JobRunService, ListJobRunsRequestInit } from "../src/index.js";
import {
  type ApiError,
  callOptionsError,
  callSignal,
  JobRunSchema,
  ListJobRunsResponseSchema,
  listAllJobRuns,
  raceAbort,
} from "../src/index.js";

describe("callSignal", () => {
  it("aborts with DEADLINE_EXCEEDED after timeoutMs", async () => {
    const call = callSignal({ timeoutMs: 5 });
    const error = await raceAbort(new Promise(() => {}), call.signal).catch((e: ApiError) => e);
    expect((error as ApiError).code).toBe("DEADLINE_EXCEEDED");
    call.dispose();
  });

  it("aborts with CANCELLED when the caller aborts, keeping the reason as cause", async () => {
    const controller = new AbortController();
    const call = callSignal({ signal: controller.signal, timeoutMs: 10_000 });
    controller.abort(new Error("user pressed ctrl-c"));
    const error = (await raceAbort(new Promise(() => {}), call.signal).catch((e) => e)) as ApiError;
    expect(error.code).toBe("CANCELLED");
    expect((error.cause as Error).message).toBe("user pressed ctrl-c");
    call.dispose();
  });

  it("an already aborted signal aborts at once", () => {
    expect(callSignal({ signal: AbortSignal.abort() }).signal.aborted).toBe(true);
  });

  it("refuses a nonsensical timeout", () => {
    expect(() => callSignal({ timeoutMs: -1 })).toThrow(/non-negative/);
    expect(() => callSignal({ timeoutMs: Number.NaN })).toThrow(/non-negative/);
  });

  it("settles normally and leaves no timer behind", async () => {
    const call = callSignal({ timeoutMs: 60_000 });
    await expect(raceAbort(Promise.resolve(42), call.signal)).resolves.toBe(42);
    call.dispose();
  });
});

describe("listAllJobRuns", () => {
  function pagedService(total: number, pageSize: number) {
    const requests: ListJobRunsRequestInit[] = [];
    const service: Pick<JobRunService, "listJobRuns"> = {
      async listJobRuns(request) {
        requests.push(request);
        const start = request.pageToken ? Number(request.pageToken) : 0;
        const end = Math.min(total, start + pageSize);
        const jobRuns = Array.from({ length: end - start }, (_, i) =>
          create(JobRunSchema, { uid: String(start + i) }),
        );
        return create(ListJobRunsResponseSchema, { jobRuns, nextPageToken: end < total ? String(end) : "" });
      },
    };
    return { service, requests };
  }

  it("yields every run of every page, in order", async () => {
    const { service, requests } = pagedService(7, 3);
    const uids: string[] = [];
    for await (const run of listAllJobRuns(service, { parent: "p", filter: "f" })) uids.push(run.uid);
    expect(uids).toEqual(["0", "1", "2", "3", "4", "5", "6"]);
    expect(requests.map((r) => r.pageToken)).toEqual(["", "3", "6"]);
    expect(requests.every((r) => r.filter === "f")).toBe(true);
  });

  it("fetches no further page once the consumer breaks out", async () => {
    const { service, requests } = pagedService(100, 10);
    for await (const run of listAllJobRuns(service, { parent: "p" })) {
      if (run.uid === "4") break;
    }
    expect(requests).toHaveLength(1);
  });
});

describe("callOptionsError and zero deadlines", () => {
  it("a zero deadline aborts at once, before any timer could fire", () => {
    const call = callSignal({ timeoutMs: 0 });
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as ApiError).code).toBe("DEADLINE_EXCEEDED");
  });

  it("says why a call must fail before doing any work", () => {
    expect(callOptionsError({})).toBeUndefined();
    expect(callOptionsError({ timeoutMs: 5 })).toBeUndefined();
    expect(callOptionsError({ timeoutMs: 0 })?.code).toBe("DEADLINE_EXCEEDED");
    expect(callOptionsError({ signal: AbortSignal.abort() })?.code).toBe("CANCELLED");
    expect(callOptionsError({ timeoutMs: -3 })?.code).toBe("INVALID_ARGUMENT");
  });
});
