import { equals } from "@bufbuild/protobuf";
import { ApiError, decodeJson, JobRunSchema, ListJobRunsResponseSchema } from "@jobrun/core";
import { createEmulator, createManualClock } from "@jobrun/emulator";
import { describe, expect, it } from "vitest";
import { decodeResponse } from "../src/decode/response-decoder.js";
import { jobRunJson, listPageJson } from "./support/fixtures.js";

/** The response decoder must give exactly what core's codec gives, or fail where it fails. */
function expectSameAsCore(json: unknown) {
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = decodeJson(JobRunSchema, json, { ignoreUnknownFields: true });
  } catch (error) {
    expectedError = error;
  }
  let actual: unknown;
  let actualError: unknown;
  try {
    actual = decodeResponse(JobRunSchema, JSON.stringify(json), "GetJobRun x");
  } catch (error) {
    actualError = error;
  }
  if (expectedError !== undefined) {
    expect(actualError).toBeInstanceOf(ApiError);
    expect((actualError as ApiError).message).toContain((expectedError as ApiError).message);
    return;
  }
  expect(actualError).toBeUndefined();
  expect(equals(JobRunSchema, actual as never, expected as never)).toBe(true);
  expect(actual).toStrictEqual(expected);
}

describe("response decoding (fast path) matches protobuf-es exactly", () => {
  it("on every run of the emulator's demo world", () => {
    const { jobRuns } = createEmulator({ clock: createManualClock(), seed: 3, demo: true }).exportJobRuns();
    expect(jobRuns.length).toBeGreaterThan(20);
    for (const run of jobRuns) expectSameAsCore(run);
  });

  it("on a full list page", () => {
    const page = listPageJson(50, "next");
    const decoded = decodeResponse(ListJobRunsResponseSchema, JSON.stringify(page), "ListJobRuns p");
    expect(decoded).toStrictEqual(decodeJson(ListJobRunsResponseSchema, page, { ignoreUnknownFields: true }));
  });

  const base = jobRunJson();
  const cases: [string, unknown][] = [
    ["an empty object", {}],
    ["nanosecond timestamps", { ...base, createTime: "2025-01-01T00:00:00.000000001Z" }],
    ["a timestamp with an offset", { ...base, createTime: "2025-01-01T10:00:00+02:00" }],
    ["a timestamp before 1970", { ...base, createTime: "1969-12-31T23:59:59.5Z" }],
    ["a timestamp out of range", { ...base, createTime: "0000-01-01T00:00:00Z" }],
    ["a malformed timestamp", { ...base, createTime: "yesterday" }],
    ["a timestamp without seconds' fraction digits", { ...base, createTime: "2025-01-01T00:00:00.Z" }],
    ["a timestamp with ten fraction digits", { ...base, createTime: "2025-01-01T00:00:00.1234567891Z" }],
    ["a lowercase z", { ...base, createTime: "2025-01-01T00:00:00z" }],
    ["the 29th of February of a leap year", { ...base, createTime: "2024-02-29T23:59:59.999Z" }],
    ["the 29th of February of a common year", { ...base, createTime: "2025-02-29T00:00:00Z" }],
    ["the 31st of April", { ...base, createTime: "2025-04-31T00:00:00Z" }],
    ["hour 24", { ...base, createTime: "2025-01-01T24:00:00Z" }],
    ["a leap second", { ...base, createTime: "2016-12-31T23:59:60Z" }],
    ["year 0099", { ...base, createTime: "0099-06-01T00:00:00Z" }],
    ["year 9999", { ...base, createTime: "9999-12-31T23:59:59.999999999Z" }],
    ["a numeric enum", { ...base, state: 5 }],
    ["an unknown numeric enum", { ...base, state: 99 }],
    ["an unknown enum name", { ...base, state: "SOMETHING_NEW" }],
    // What a server sends for $alt=json;enum-encoding=int: every enum a number, some newer than us.
    [
      "numeric enums throughout, with unknown numbers",
      { ...base, state: 7, deployJobRun: { failureCause: 42, failureMessage: "new" } },
    ],
    ["a negative enum number", { ...base, state: -3 }],
    ["the largest int32 enum number", { ...base, state: 2147483647 }],
    ["an enum number past int32", { ...base, state: 2147483648 }],
    ["a fractional enum number", { ...base, state: 3.5 }],
    ["an enum number written as a string", { ...base, state: "3" }],
    ["an enum number in exponent form", { ...base, state: 3 }],
    ["a null field", { ...base, etag: null }],
    ["a null message", { ...base, deployJobRun: null }],
    ["proto field names", { ...base, phase_id: "x", job_id: "y" }],
    ["a field given by both names", { ...base, phase_id: "x", phaseId: "y" }],
    ["two members of the oneof", { ...base, verifyJobRun: { build: "b" } }],
    [
      "unknown fields at every depth",
      { ...base, extra: 1, deployJobRun: { ...base.deployJobRun, extra: [1] } },
    ],
    ["a map", { ...base, deployJobRun: { metadata: { custom: { values: { a: "1", b: "2" } } } } }],
    ["a map with a wrong value", { ...base, deployJobRun: { metadata: { custom: { values: { a: 1 } } } } }],
    ["a string where a list belongs", { ...base, deployJobRun: { artifact: { manifestPaths: "m.yaml" } } }],
    ["a number where a string belongs", { ...base, uid: 12 }],
    ["an array where an object belongs", []],
    [
      "every kind of job",
      { ...base, deployJobRun: undefined, advanceChildRolloutJobRun: { rollout: "r", rolloutPhaseId: "p" } },
    ],
    [
      "predeploy failure causes",
      { ...base, deployJobRun: undefined, predeployJobRun: { failureCause: "CLOUD_BUILD_REQUEST_FAILED" } },
    ],
  ];
  it.each(cases)("on %s", (_, json) => expectSameAsCore(JSON.parse(JSON.stringify(json))));

  it("on enum numbers written in forms JSON.stringify never produces (-0, 3.0, 1e1)", () => {
    for (const literal of ["-0", "3.0", "1e1", "7E0"]) {
      const text = JSON.stringify(base).replace('"state":"IN_PROGRESS"', `"state":${literal}`);
      const expected = decodeJson(JobRunSchema, JSON.parse(text), { ignoreUnknownFields: true });
      const actual = decodeResponse(JobRunSchema, text, "GetJobRun x");
      expect(Object.is(actual.state, expected.state)).toBe(true);
      expect(actual).toStrictEqual(expected);
    }
  });

  it("names the path of a wrong field inside a list page", () => {
    const page = listPageJson(5);
    (page.jobRuns[3] as Record<string, unknown>).state = true;
    expect(() => decodeResponse(ListJobRunsResponseSchema, JSON.stringify(page), "ListJobRuns p")).toThrow(
      /jobRuns\[3\]\.state/,
    );
  });
});
