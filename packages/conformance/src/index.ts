// The JobRunService conformance suite: one set of behaviours every implementation must show alike —
// the emulator directly, a client talking to the proxy over HTTP, the Worker in workerd. It uses only
// the three service methods and the fixture it hands to `setup`; it never reaches into an
// implementation or fakes time (terminations are observed by polling a short real delay).

import {
  encodeJson,
  type JobRun,
  JobRun_State,
  JobRunSchema,
  type JobRunService,
  type ListJobRunsRequestInit,
  TerminateJobRunResponseSchema,
} from "@jobrun/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectApiError } from "./expect-api-error.js";
import {
  BULK_SIZE,
  type ConformanceFixture,
  conformanceFixture,
  OTHER_PROJECT,
  PROJECT,
  rollouts,
  TERMINATE_SIZE,
} from "./fixture.js";
import { createMs, decodeFixture, namesOf, runsUnder, sortedNames } from "./reference.js";

export { expectApiError } from "./expect-api-error.js";
export {
  BULK_SIZE,
  type ConformanceFixture,
  conformanceFixture,
  OTHER_PROJECT,
  PROJECT,
  rollouts,
  TERMINATE_SIZE,
} from "./fixture.js";

/** A running implementation under test. */
export interface ConformanceHarness {
  readonly service: JobRunService;
  /** Releases everything setup started (servers, workers, timers). */
  close(): Promise<void>;
}

export type ConformanceSetup = (fixture: ConformanceFixture) => Promise<ConformanceHarness>;

const allInProject = `projects/${PROJECT}/locations/-/deliveryPipelines/-/releases/-/rollouts/-`;

/** Registers the suite (vitest describe/it) for one implementation. `setup` is called once per group. */
export function describeJobRunServiceConformance(label: string, setup: ConformanceSetup): void {
  describe(`JobRunService conformance: ${label}`, () => {
    describeReads(setup);
    describeTerminate(setup);
    describeCallOptions(setup);
  });
}

function useHarness(setup: ConformanceSetup): {
  service: () => JobRunService;
  fixture: ConformanceFixture;
  runs: JobRun[];
} {
  const fixture = conformanceFixture();
  const runs = decodeFixture(fixture.jobRuns);
  let harness: ConformanceHarness | undefined;
  beforeAll(async () => {
    harness = await setup(conformanceFixture());
  });
  afterAll(async () => {
    await harness?.close();
  });
  return {
    service: () => {
      if (harness === undefined) throw new Error("the conformance harness did not start");
      return harness.service;
    },
    fixture,
    runs,
  };
}

async function listAll(service: JobRunService, request: ListJobRunsRequestInit): Promise<JobRun[]> {
  const out: JobRun[] = [];
  let pageToken = "";
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await service.listJobRuns({ ...request, pageToken });
    out.push(...page.jobRuns);
    pageToken = page.nextPageToken;
    if (pageToken === "") return out;
  }
  throw new Error("paging did not end");
}

function describeReads(setup: ConformanceSetup): void {
  describe("reads", () => {
    const { service, fixture, runs } = useHarness(setup);

    describe("getJobRun", () => {
      it("returns a stored run with every field as loaded", async () => {
        for (const index of [0, 1, 2, 3, 4, 5, 17]) {
          const json = fixture.jobRuns[index]!;
          const run = await service().getJobRun({ name: json.name! });
          expect(encodeJson(JobRunSchema, run)).toEqual(json);
        }
      });

      it("answers NOT_FOUND for a well-formed name that does not exist", async () => {
        const name = `${rollouts.webRel1}/jobRuns/00000000-0000-4000-8000-ffffffffffff`;
        await expectApiError(service().getJobRun({ name }), "NOT_FOUND", name);
      });

      it.each([
        ["an empty name", ""],
        ["a rollout name", rollouts.webRel1],
        ["a wrong collection", `${rollouts.webRel1}/jobs/x`],
        [
          "a wildcard segment",
          `projects/${PROJECT}/locations/-/deliveryPipelines/web/releases/rel-1/rollouts/r/jobRuns/x`,
        ],
        [
          "an empty segment",
          `projects/${PROJECT}/locations//deliveryPipelines/web/releases/rel-1/rollouts/r/jobRuns/x`,
        ],
        ["a space", `${rollouts.webRel1}/jobRuns/a b`],
        ["too many segments", `${rollouts.webRel1}/jobRuns/x/y`],
      ])("answers INVALID_ARGUMENT for %s", async (_what, name) => {
        await expectApiError(service().getJobRun({ name }), "INVALID_ARGUMENT");
      });
    });

    describe("listJobRuns paging", () => {
      it("lists exactly the runs of a rollout", async () => {
        const listed = await listAll(service(), { parent: rollouts.webRel1 });
        expect(sortedNames(listed)).toEqual(sortedNames(runsUnder(runs, rollouts.webRel1)));
      });

      it("answers an empty page without a token for a rollout without runs", async () => {
        const page = await service().listJobRuns({ parent: rollouts.empty });
        expect(page.jobRuns).toEqual([]);
        expect(page.nextPageToken).toBe("");
      });

      it("returns 50 runs per page by default", async () => {
        const page = await service().listJobRuns({ parent: rollouts.bulk });
        expect(page.jobRuns).toHaveLength(50);
        expect(page.nextPageToken).not.toBe("");
      });

      it("clamps a page size above 1000 to 1000", async () => {
        const first = await service().listJobRuns({ parent: rollouts.bulk, pageSize: 5000 });
        expect(first.jobRuns).toHaveLength(1000);
        expect(first.nextPageToken).not.toBe("");
        const second = await service().listJobRuns({
          parent: rollouts.bulk,
          pageSize: 5000,
          pageToken: first.nextPageToken,
        });
        expect(second.jobRuns).toHaveLength(BULK_SIZE - 1000);
        expect(second.nextPageToken).toBe("");
      });

      it("returns exactly pageSize runs and a token while more remain", async () => {
        const page = await service().listJobRuns({ parent: rollouts.webRel1, pageSize: 5 });
        expect(page.jobRuns).toHaveLength(5);
        expect(page.nextPageToken).not.toBe("");
      });

      it("gives no token on the last page, even when it is exactly full", async () => {
        const total = runsUnder(runs, rollouts.webRel1).length;
        const page = await service().listJobRuns({ parent: rollouts.webRel1, pageSize: total });
        expect(page.jobRuns).toHaveLength(total);
        expect(page.nextPageToken).toBe("");
      });

      it("refuses a negative page size with INVALID_ARGUMENT", async () => {
        await expectApiError(
          service().listJobRuns({ parent: rollouts.webRel1, pageSize: -1 }),
          "INVALID_ARGUMENT",
          "pageSize",
        );
      });

      it("visits every run exactly once when paging a wildcard parent in small pages", async () => {
        const listed = await listAll(service(), { parent: allInProject, pageSize: 7 });
        const names = namesOf(listed);
        expect(new Set(names).size).toBe(names.length);
        expect([...names].sort()).toEqual(sortedNames(runsUnder(runs, allInProject)));
      });

      it("visits every run exactly once when paging with an orderBy and a filter", async () => {
        const request = {
          parent: allInProject,
          pageSize: 9,
          orderBy: "state, createTime desc",
          filter: "NOT state=SUCCEEDED",
        };
        const listed = await listAll(service(), request);
        const names = namesOf(listed);
        expect(new Set(names).size).toBe(names.length);
        const expected = runsUnder(runs, allInProject).filter((r) => r.state !== JobRun_State.SUCCEEDED);
        expect([...names].sort()).toEqual(sortedNames(expected));
      });
    });

    describe("listJobRuns page tokens", () => {
      const firstToken = async (request: ListJobRunsRequestInit) => {
        const page = await service().listJobRuns({ ...request, pageSize: 3 });
        expect(page.nextPageToken).not.toBe("");
        return page.nextPageToken;
      };

      it("refuses a garbage token with INVALID_ARGUMENT", async () => {
        for (const pageToken of ["garbage", "eyJ2IjoxfQ", "a.b", "%%%"]) {
          await expectApiError(
            service().listJobRuns({ parent: rollouts.webRel1, pageToken }),
            "INVALID_ARGUMENT",
            "pageToken",
          );
        }
      });

      it("refuses a token with any character changed", async () => {
        const token = await firstToken({ parent: rollouts.webRel1 });
        for (const at of [0, Math.floor(token.length / 2), token.length - 1]) {
          const replacement = token[at] === "A" ? "B" : "A";
          const forged = token.slice(0, at) + replacement + token.slice(at + 1);
          await expectApiError(
            service().listJobRuns({ parent: rollouts.webRel1, pageSize: 3, pageToken: forged }),
            "INVALID_ARGUMENT",
          );
        }
      });

      it("refuses a token reused with another filter, orderBy or parent", async () => {
        const base = { parent: allInProject, filter: 'state="FAILED"', orderBy: "createTime" };
        const pageToken = await firstToken(base);
        const list = (request: ListJobRunsRequestInit) =>
          service().listJobRuns({ ...request, pageSize: 3, pageToken });
        await expectApiError(list({ ...base, filter: 'state="SUCCEEDED"' }), "INVALID_ARGUMENT", "pageToken");
        await expectApiError(list({ ...base, orderBy: "createTime desc" }), "INVALID_ARGUMENT", "pageToken");
        await expectApiError(list({ ...base, parent: rollouts.webRel1 }), "INVALID_ARGUMENT", "pageToken");
        // The same parameters continue the listing (the page size may change between pages).
        const next = await service().listJobRuns({ ...base, pageSize: 2, pageToken });
        expect(next.jobRuns.length).toBeGreaterThan(0);
      });
    });

    describe("listJobRuns filter (AIP-160)", () => {
      const under = () => runsUnder(runs, allInProject);
      const cases: [string, (run: JobRun) => boolean][] = [
        ['state="FAILED"', (r) => r.state === JobRun_State.FAILED],
        ["state = SUCCEEDED", (r) => r.state === JobRun_State.SUCCEEDED],
        ['state!="SUCCEEDED"', (r) => r.state !== JobRun_State.SUCCEEDED],
        ['phaseId="stable" AND jobId="deploy"', (r) => r.phaseId === "stable" && r.jobId === "deploy"],
        ['phaseId="stable" jobId="verify"', (r) => r.phaseId === "stable" && r.jobId === "verify"],
        ['jobId="deploy" OR jobId="verify"', (r) => r.jobId === "deploy" || r.jobId === "verify"],
        ['NOT state="FAILED"', (r) => r.state !== JobRun_State.FAILED],
        ['-state="FAILED"', (r) => r.state !== JobRun_State.FAILED],
        [
          '(state="FAILED" OR state="TERMINATED") AND phaseId!="stable"',
          (r) =>
            (r.state === JobRun_State.FAILED || r.state === JobRun_State.TERMINATED) &&
            r.phaseId !== "stable",
        ],
        // AIP-160: OR binds tighter than AND.
        [
          'phaseId="stable" AND jobId="deploy" OR jobId="verify"',
          (r) => r.phaseId === "stable" && (r.jobId === "deploy" || r.jobId === "verify"),
        ],
        [
          'deployJobRun.failureCause="EXECUTION_FAILED"',
          (r) => r.jobRun.case === "deployJobRun" && r.jobRun.value.failureCause === 2,
        ],
        ["verifyJobRun:*", (r) => r.jobRun.case === "verifyJobRun"],
        ["endTime:*", (r) => r.endTime !== undefined],
        ["NOT endTime:*", (r) => r.endTime === undefined],
        ['createTime >= "2025-03-01T02:00:00Z"', (r) => createMs(r) >= Date.UTC(2025, 2, 1, 2)],
        ["createTime < 2025-03-01T01:00:00Z", (r) => createMs(r) < Date.UTC(2025, 2, 1, 1)],
        [
          `name="${rollouts.webRel1}/jobRuns/00000000-0000-4000-8000-000000000003"`,
          (r) => r.name.endsWith("0003") && r.name.startsWith(rollouts.webRel1),
        ],
        [
          'uid="00000000-0000-4000-8000-0000000f4245"',
          (r) => r.uid === "00000000-0000-4000-8000-0000000f4245",
        ],
        [
          "deployJobRun.metadata.cloudRun:*",
          (r) => r.jobRun.case === "deployJobRun" && r.jobRun.value.metadata?.cloudRun !== undefined,
        ],
      ];

      it.each(cases)("%s", async (filter, predicate) => {
        const listed = await listAll(service(), { parent: allInProject, filter, pageSize: 1000 });
        const expected = under().filter(predicate);
        expect(expected.length, "the fixture must make this case meaningful").toBeGreaterThan(0);
        expect(sortedNames(listed)).toEqual(sortedNames(expected));
      });

      it.each([
        ["an unknown field", 'status="FAILED"', "status"],
        ["an unknown nested field", 'deployJobRun.cause="X"', "cause"],
        ["an unknown enum value", 'state="DONE"', "DONE"],
        ["a missing value", "state=", ""],
        ["an unclosed parenthesis", '(state="FAILED"', ""],
        ["an unclosed string", 'state="FAILED', ""],
        ["a dangling AND", 'state="FAILED" AND', ""],
        ["a bad timestamp", 'createTime > "yesterday"', "yesterday"],
      ])("refuses %s with INVALID_ARGUMENT", async (_what, filter, fragment) => {
        await expectApiError(
          service().listJobRuns({ parent: rollouts.webRel1, filter }),
          "INVALID_ARGUMENT",
          fragment,
        );
      });
    });

    describe("listJobRuns orderBy (AIP-132)", () => {
      const ordered = async (orderBy: string) =>
        listAll(service(), { parent: allInProject, orderBy, pageSize: 11 });

      it("sorts by createTime ascending, ties broken the same way on every page", async () => {
        const listed = await ordered("createTime");
        const times = listed.map(createMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(listed).toHaveLength(runsUnder(runs, allInProject).length);
      });

      it("sorts by createTime descending", async () => {
        const times = (await ordered("createTime desc")).map(createMs);
        expect(times).toEqual([...times].sort((a, b) => b - a));
      });

      it("sorts by several fields", async () => {
        const listed = await ordered("state, createTime desc");
        for (let i = 1; i < listed.length; i++) {
          const a = listed[i - 1]!;
          const b = listed[i]!;
          expect(a.state <= b.state).toBe(true);
          if (a.state === b.state) expect(createMs(a) >= createMs(b)).toBe(true);
        }
      });

      it("sorts by name", async () => {
        const names = namesOf(await ordered("name desc"));
        expect(names).toEqual([...names].sort().reverse());
      });

      it("refuses an unknown field or direction with INVALID_ARGUMENT", async () => {
        await expectApiError(
          service().listJobRuns({ parent: rollouts.webRel1, orderBy: "priority" }),
          "INVALID_ARGUMENT",
          "priority",
        );
        await expectApiError(
          service().listJobRuns({ parent: rollouts.webRel1, orderBy: "createTime sideways" }),
          "INVALID_ARGUMENT",
        );
      });
    });

    describe("listJobRuns wildcards (AIP-159)", () => {
      it.each([
        [
          "every rollout of a pipeline",
          `projects/${PROJECT}/locations/us-central1/deliveryPipelines/web/releases/-/rollouts/-`,
        ],
        [
          "every rollout of a release",
          `projects/${PROJECT}/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/-`,
        ],
        ["every location and pipeline", allInProject],
        [
          "a concrete segment after a wildcard",
          `projects/${PROJECT}/locations/-/deliveryPipelines/api/releases/-/rollouts/-`,
        ],
      ])("lists %s with canonical names", async (_what, parent) => {
        const listed = await listAll(service(), { parent, pageSize: 1000 });
        const expected = runsUnder(runs, parent);
        expect(expected.length).toBeGreaterThan(0);
        expect(sortedNames(listed)).toEqual(sortedNames(expected));
        for (const run of listed) expect(run.name.split("/")).not.toContain("-");
      });

      it("never crosses projects", async () => {
        const listed = await listAll(service(), { parent: allInProject, pageSize: 1000 });
        expect(listed.some((run) => run.name.startsWith(`projects/${OTHER_PROJECT}/`))).toBe(false);
      });

      it("refuses a wildcard project with INVALID_ARGUMENT", async () => {
        await expectApiError(
          service().listJobRuns({
            parent: "projects/-/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
          }),
          "INVALID_ARGUMENT",
        );
      });

      it("refuses a malformed parent with INVALID_ARGUMENT", async () => {
        await expectApiError(
          service().listJobRuns({ parent: `projects/${PROJECT}/locations/-` }),
          "INVALID_ARGUMENT",
        );
      });
    });
  });
}

function describeTerminate(setup: ConformanceSetup): void {
  describe("terminateJobRun", () => {
    const { service, fixture } = useHarness(setup);
    const inProgress = fixture.jobRuns
      .filter((r) => r.name?.startsWith(`${rollouts.terminate}/`))
      .map((r) => r.name!);
    let next = 0;
    const takeRun = () => {
      const name = inProgress[next++];
      if (name === undefined)
        throw new Error("the fixture has too few IN_PROGRESS runs for the terminate tests");
      return name;
    };
    const succeeded = fixture.jobRuns.find((r) => r.state === "SUCCEEDED")!.name!;
    // Within the test's timeout, so a run that never becomes TERMINATED fails on its state.
    const deadlineMs = Math.max(5000, fixture.terminateDelayMs * 5);

    async function waitForState(name: string, state: JobRun_State): Promise<JobRun> {
      const start = Date.now();
      for (;;) {
        const run = await service().getJobRun({ name });
        if (run.state === state || Date.now() - start > deadlineMs) return run;
        await new Promise((resolve) => setTimeout(resolve, Math.max(10, fixture.terminateDelayMs / 5)));
      }
    }

    it("has enough IN_PROGRESS runs to test with", () => {
      expect(inProgress.length).toBe(TERMINATE_SIZE);
    });

    it("moves IN_PROGRESS to TERMINATING at once, then to TERMINATED with an end time", async () => {
      const name = takeRun();
      const before = await service().getJobRun({ name });
      expect(before.state).toBe(JobRun_State.IN_PROGRESS);
      const response = await service().terminateJobRun({ name });
      expect(encodeJson(TerminateJobRunResponseSchema, response)).toEqual({});
      const terminating = await service().getJobRun({ name });
      expect(terminating.state).toBe(JobRun_State.TERMINATING);
      expect(terminating.etag).not.toBe(before.etag);
      expect(terminating.endTime).toBeUndefined();
      const terminated = await waitForState(name, JobRun_State.TERMINATED);
      expect(terminated.state).toBe(JobRun_State.TERMINATED);
      expect(terminated.endTime).toBeDefined();
      expect(terminated.etag).not.toBe(terminating.etag);
      // The rest of the run is untouched.
      expect({ ...terminated, state: 0, etag: "", endTime: undefined }).toEqual({
        ...before,
        state: 0,
        etag: "",
        endTime: undefined,
      });
    });

    it("refuses a run that is TERMINATING with FAILED_PRECONDITION naming the state", async () => {
      const name = takeRun();
      await service().terminateJobRun({ name });
      await expectApiError(service().terminateJobRun({ name }), "FAILED_PRECONDITION", "TERMINATING");
    });

    it("refuses a SUCCEEDED run with FAILED_PRECONDITION naming the state, and leaves it alone", async () => {
      const before = await service().getJobRun({ name: succeeded });
      await expectApiError(
        service().terminateJobRun({ name: succeeded }),
        "FAILED_PRECONDITION",
        "SUCCEEDED",
      );
      expect(await service().getJobRun({ name: succeeded })).toEqual(before);
    });

    it("answers NOT_FOUND for a missing run and INVALID_ARGUMENT for a malformed name", async () => {
      const missing = `${rollouts.terminate}/jobRuns/00000000-0000-4000-8000-ffffffffffff`;
      await expectApiError(service().terminateJobRun({ name: missing }), "NOT_FOUND");
      await expectApiError(service().terminateJobRun({ name: "jobRuns/x" }), "INVALID_ARGUMENT");
    });

    it("refuses an overrideDeployPolicy entry that is not a deploy policy name, changing nothing", async () => {
      const name = takeRun();
      for (const policy of [
        "freeze",
        `projects/${PROJECT}/locations/us-central1/deployPolicies/`,
        rollouts.webRel1,
      ]) {
        await expectApiError(
          service().terminateJobRun({ name, overrideDeployPolicy: [policy] }),
          "INVALID_ARGUMENT",
          "overrideDeployPolicy",
        );
      }
      expect((await service().getJobRun({ name })).state).toBe(JobRun_State.IN_PROGRESS);
    });

    it("accepts deploy policy names in overrideDeployPolicy", async () => {
      const name = takeRun();
      const policy = `projects/${PROJECT}/locations/us-central1/deployPolicies/holiday-freeze`;
      await service().terminateJobRun({ name, overrideDeployPolicy: [policy] });
      expect((await service().getJobRun({ name })).state).not.toBe(JobRun_State.IN_PROGRESS);
    });

    it("lets exactly one of two concurrent terminates win; the other gets FAILED_PRECONDITION", async () => {
      const name = takeRun();
      const results = await Promise.allSettled([
        service().terminateJobRun({ name }),
        service().terminateJobRun({ name }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected");
      expect((rejected?.reason as { code?: string } | undefined)?.code).toBe("FAILED_PRECONDITION");
    });

    it("shows the termination in listings too", async () => {
      const name = takeRun();
      await service().terminateJobRun({ name });
      const page = await service().listJobRuns({ parent: rollouts.terminate, filter: `name="${name}"` });
      expect(page.jobRuns.map((r) => [r.name, r.state])).toEqual([[name, JobRun_State.TERMINATING]]);
    });
  });
}

function describeCallOptions(setup: ConformanceSetup): void {
  describe("call options", () => {
    const { service, fixture } = useHarness(setup);
    const name = fixture.jobRuns.find((r) => r.name?.startsWith(`${rollouts.terminate}/`))!.name!;

    it("rejects every method with CANCELLED when the signal is already aborted", async () => {
      const signal = AbortSignal.abort();
      await expectApiError(service().getJobRun({ name }, { signal }), "CANCELLED");
      await expectApiError(service().listJobRuns({ parent: rollouts.webRel1 }, { signal }), "CANCELLED");
      await expectApiError(service().terminateJobRun({ name }, { signal }), "CANCELLED");
    });

    it("does not terminate when the call was cancelled before it started", async () => {
      await expectApiError(service().terminateJobRun({ name }, { signal: AbortSignal.abort() }), "CANCELLED");
      expect((await service().getJobRun({ name })).state).toBe(JobRun_State.IN_PROGRESS);
    });

    it("rejects with DEADLINE_EXCEEDED when the deadline is zero", async () => {
      await expectApiError(service().getJobRun({ name }, { timeoutMs: 0 }), "DEADLINE_EXCEEDED");
      await expectApiError(
        service().listJobRuns({ parent: rollouts.webRel1 }, { timeoutMs: 0 }),
        "DEADLINE_EXCEEDED",
      );
    });

    it("answers normally with a generous deadline and a live signal", async () => {
      const controller = new AbortController();
      const run = await service().getJobRun({ name }, { signal: controller.signal, timeoutMs: 10_000 });
      expect(run.name).toBe(name);
    });
  });
}

export { createFakeGoogle, type FakeGoogle, type FakeGoogleRequest } from "./fake-google.js";
export {
  CORPUS_PARENT,
  CORPUS_PROJECT,
  corpusErrors,
  corpusRunIds,
  corpusRunName,
  corpusRuns,
  type GoogleJson,
  withEnumNumbers,
} from "./google-corpus.js";
export { briefWatchResponse, watchReader } from "./watch-reader.js";
export { describeRestWireConformance, type WireHarness, type WireSetup } from "./wire.js";
