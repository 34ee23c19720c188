import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  canTerminate,
  decodeJson,
  explainFailureCause,
  failureCauseNames,
  failureOf,
  formatDuration,
  isActive,
  isTerminal,
  JobRun_State,
  JobRunSchema,
  jobKindLabel,
  jobKindOf,
  jobKinds,
  runDurationMs,
  stateName,
} from "../src/index.js";
import { runsByKind } from "./fixtures.js";

describe("job kind", () => {
  for (const [kind, document] of Object.entries(runsByKind)) {
    it(`${kind} runs say so`, () => {
      expect(jobKindOf(decodeJson(JobRunSchema, document))).toBe(kind);
    });
  }
  it("no oneof set means unknown", () => {
    expect(jobKindOf(decodeJson(JobRunSchema, {}))).toBeUndefined();
    expect(jobKindLabel(undefined)).toBe("Unknown");
    expect(jobKindLabel("createChildRollout")).toBe("Create child rollout");
  });
});

describe("states", () => {
  it("terminal, active and terminable states", () => {
    const terminal = [JobRun_State.SUCCEEDED, JobRun_State.FAILED, JobRun_State.TERMINATED];
    for (const value of Object.values(JobRun_State).filter((v): v is JobRun_State => typeof v === "number")) {
      expect(isTerminal(value)).toBe(terminal.includes(value));
      expect(isActive(value)).toBe(value === JobRun_State.IN_PROGRESS || value === JobRun_State.TERMINATING);
      expect(canTerminate({ state: value })).toBe(value === JobRun_State.IN_PROGRESS);
    }
    expect(stateName(JobRun_State.TERMINATING)).toBe("TERMINATING");
  });

  it("names a state number from a newer API readably, as STATE_<number>", () => {
    expect(stateName(7 as JobRun_State)).toBe("STATE_7");
    expect(stateName(42 as JobRun_State)).toBe("STATE_42");
    expect(stateName(-1 as JobRun_State)).toBe("STATE_-1");
  });
});

describe("failure causes", () => {
  it("every cause of every kind has its own one-line explanation", () => {
    for (const kind of jobKinds) {
      const names = failureCauseNames(kind);
      const lines = names.map((_, number) => explainFailureCause(kind, number));
      for (const line of lines) {
        expect(line).toMatch(/^[A-Z].*\.$/);
        expect(line).not.toContain("\n");
      }
      expect(new Set(lines).size).toBe(lines.length);
    }
    expect(failureCauseNames("deploy")).toContain("MISSING_RESOURCES_FOR_CANARY");
    expect(failureCauseNames("verify")).toContain("VERIFICATION_CONFIG_NOT_FOUND");
    expect(failureCauseNames("createChildRollout")).toEqual([]);
  });

  it("reads the failure of a run with the right enum per kind", () => {
    expect(failureOf(decodeJson(JobRunSchema, runsByKind.deploy))).toEqual({
      kind: "deploy",
      cause: "MISSING_RESOURCES_FOR_CANARY",
      explanation: explainFailureCause("deploy", 4),
      message: "Service web-frontend has no traffic split for the canary.",
    });
    // 4 is CLOUD_BUILD_REQUEST_FAILED for postdeploy, not MISSING_RESOURCES_FOR_CANARY.
    expect(failureOf(decodeJson(JobRunSchema, runsByKind.postdeploy))?.cause).toBe(
      "CLOUD_BUILD_REQUEST_FAILED",
    );
    expect(failureOf(decodeJson(JobRunSchema, runsByKind.predeploy))).toBeUndefined();
    expect(failureOf(decodeJson(JobRunSchema, runsByKind.createChildRollout))).toBeUndefined();
  });

  it("a cause number from a newer API still explains itself", () => {
    expect(explainFailureCause("deploy", 99)).toMatch(/unknown failure cause \(99\)/);
    expect(failureOf(decodeJson(JobRunSchema, { deployJobRun: { failureCause: 99 } }))?.cause).toBe(
      "FAILURE_CAUSE_99",
    );
  });
});

describe("duration", () => {
  it("from start to end, or to now while running", () => {
    const run = decodeJson(JobRunSchema, runsByKind.deploy);
    expect(runDurationMs(run)).toBe(91_500);
    const running = {
      createTime: timestampFromMs(1_000),
      startTime: timestampFromMs(2_000),
      endTime: undefined,
    };
    expect(runDurationMs(running, 7_500)).toBe(5_500);
    expect(
      runDurationMs({ createTime: undefined, startTime: undefined, endTime: undefined }),
    ).toBeUndefined();
  });

  it("formats compactly", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(42_000)).toBe("42s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(7_620_000)).toBe("2h 07m");
    expect(formatDuration(273_600_000)).toBe("3d 4h");
  });
});
