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

  it("a timeout past setTimeout's 2^31 ms limit waits instead of firing at once", async () => {
    for (const timeoutMs of [2 ** 31, 2 ** 31 + 1, 30 * 24 * 3600_000, Number.MAX_SAFE_INTEGER]) {
      const call = callSignal({ timeoutMs });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(call.signal.aborted).toBe(false);
      call.dispose();
    }
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

  it("fails clearly, instead of looping forever, when a server repeats a page token", async () => {
    for (const tokens of [
      ["a", "a"],
      ["a", "b", "a"],
      ["a", "b", "c", "d", "b"],
    ]) {
      let served = 0;
      const service: Pick<JobRunService, "listJobRuns"> = {
        async listJobRuns() {
          const nextPageToken = tokens[Math.min(served, tokens.length - 1)]!;
          served += 1;
          return create(ListJobRunsResponseSchema, { jobRuns: [create(JobRunSchema, {})], nextPageToken });
        },
      };
      let runs = 0;
      const error = await (async () => {
        for await (const _ of listAllJobRuns(service, { parent: "projects/p/rollouts/r" })) {
          runs += 1;
          if (runs > 100) return new Error("still paging after 100 pages");
        }
        return undefined;
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "UNKNOWN" });
      expect((error as ApiError).message).toMatch(
        new RegExp(`ListJobRuns projects/p/rollouts/r: page ${tokens.length} .*already used`),
      );
      expect(served).toBe(tokens.length);
    }
  });

  it("a starting pageToken the server hands back again is a repeat too", async () => {
    let served = 0;
    const service: Pick<JobRunService, "listJobRuns"> = {
      async listJobRuns() {
        served += 1;
        if (served > 100) throw new Error("still paging after 100 pages");
        return create(ListJobRunsResponseSchema, { nextPageToken: "start" });
      },
    };
    const consume = async () => {
      for await (const _ of listAllJobRuns(service, { parent: "p", pageToken: "start" })) {
        // none
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: "UNKNOWN" });
    expect(served).toBe(1);
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
