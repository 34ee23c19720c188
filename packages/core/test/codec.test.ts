import { create, fromJson, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  DeployJobRun_FailureCause,
  DeployJobRun_FailureCauseSchema,
  decodeJson,
  decodeJsonText,
  encodeJson,
  JobRun_State,
  JobRun_StateSchema,
  JobRunSchema,
  ListJobRunsResponseSchema,
  PostdeployJobRun_FailureCause,
  PostdeployJobRun_FailureCauseSchema,
  PredeployJobRun_FailureCause,
  PredeployJobRun_FailureCauseSchema,
  TerminateJobRunRequestSchema,
  TerminateJobRunResponseSchema,
  VerifyJobRun_FailureCause,
  VerifyJobRun_FailureCauseSchema,
} from "../src/index.js";
import { runsByKind } from "./fixtures.js";

describe("JSON round-trips of every job kind", () => {
  for (const [kind, document] of Object.entries(runsByKind)) {
    it(`${kind}: decode then encode gives the document back (names and numbers)`, () => {
      const run = decodeJson(JobRunSchema, document);
      expect(encodeJson(JobRunSchema, run)).toEqual(document);
      const asInts = encodeJson(JobRunSchema, run, { enumEncoding: "int" }) as Record<string, unknown>;
      expect(typeof asInts.state).toBe("number");
      expect(decodeJson(JobRunSchema, asInts)).toEqual(run);
    });
  }

  it("keeps timestamps' nanoseconds", () => {
    const run = decodeJson(JobRunSchema, runsByKind.deploy);
    expect(run.createTime?.nanos).toBe(123456789);
    expect(encodeJson(JobRunSchema, run)).toMatchObject({ createTime: "2025-03-04T10:15:30.123456789Z" });
  });

  it("a list response of every kind survives a round-trip through the wire", () => {
    const doc = { jobRuns: Object.values(runsByKind), nextPageToken: "tok", unreachable: ["us-east1"] };
    const text = JSON.stringify(doc);
    expect(encodeJson(ListJobRunsResponseSchema, decodeJsonText(ListJobRunsResponseSchema, text))).toEqual(
      doc,
    );
  });

  it("terminate: body with overrideDeployPolicy, and {} for the empty response", () => {
    const body = { overrideDeployPolicy: ["projects/p/locations/l/deployPolicies/freeze"] };
    const req = decodeJson(TerminateJobRunRequestSchema, body);
    expect(req.overrideDeployPolicy).toEqual(body.overrideDeployPolicy);
    expect(encodeJson(TerminateJobRunResponseSchema, create(TerminateJobRunResponseSchema))).toEqual({});
  });
});

describe("every enum value by name and by number", () => {
  const enums = [
    { schema: JobRun_StateSchema, values: JobRun_State, count: 6 },
    { schema: DeployJobRun_FailureCauseSchema, values: DeployJobRun_FailureCause, count: 7 },
    { schema: VerifyJobRun_FailureCauseSchema, values: VerifyJobRun_FailureCause, count: 6 },
    { schema: PredeployJobRun_FailureCauseSchema, values: PredeployJobRun_FailureCause, count: 5 },
    { schema: PostdeployJobRun_FailureCauseSchema, values: PostdeployJobRun_FailureCause, count: 5 },
  ];
  for (const { schema, count } of enums) {
    it(`${schema.typeName}: ${count} values, each readable by name and by number`, () => {
      expect(schema.values).toHaveLength(count);
      for (const value of schema.values) {
        expect(value.number).toBe(schema.values.indexOf(value));
      }
    });
  }

  it("the CLOUD_BUILD_REQUEST_FAILED trap: 5 in deploy and verify, 4 in predeploy and postdeploy", () => {
    expect(DeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED).toBe(5);
    expect(VerifyJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED).toBe(5);
    expect(PredeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED).toBe(4);
    expect(PostdeployJobRun_FailureCause.CLOUD_BUILD_REQUEST_FAILED).toBe(4);
  });

  const kinds = [
    { key: "deployJobRun", schema: DeployJobRun_FailureCauseSchema },
    { key: "verifyJobRun", schema: VerifyJobRun_FailureCauseSchema },
    { key: "predeployJobRun", schema: PredeployJobRun_FailureCauseSchema },
    { key: "postdeployJobRun", schema: PostdeployJobRun_FailureCauseSchema },
  ] as const;
  for (const { key, schema } of kinds) {
    it(`${key}.failureCause: every value by name gives the same run as by number`, () => {
      for (const value of schema.values) {
        const byName = decodeJson(JobRunSchema, { [key]: { failureCause: value.name } });
        const byNumber = decodeJson(JobRunSchema, { [key]: { failureCause: value.number } });
        expect(byName).toEqual(byNumber);
        const encoded = encodeJson(JobRunSchema, byName) as Record<string, Record<string, unknown>>;
        // Proto3 JSON omits the zero value.
        expect(encoded[key]?.failureCause).toBe(value.number === 0 ? undefined : value.name);
        const ints = encodeJson(JobRunSchema, byName, { enumEncoding: "int" }) as Record<
          string,
          Record<string, unknown>
        >;
        expect(ints[key]?.failureCause).toBe(value.number === 0 ? undefined : value.number);
      }
    });
  }

  it("every JobRun state by name and number", () => {
    for (const value of JobRun_StateSchema.values) {
      const run = decodeJson(JobRunSchema, { state: value.name });
      expect(run.state).toBe(value.number);
      expect(decodeJson(JobRunSchema, { state: value.number }).state).toBe(value.number);
    }
  });
});

describe("decode errors name the field path", () => {
  const cases: [string, unknown, string][] = [
    ["unknown top-level field", { nope: 1 }, "nope"],
    [
      "a wrong type deep inside",
      { deployJobRun: { metadata: { cloudRun: { serviceUrls: ["ok", 7] } } } },
      "deployJobRun.metadata.cloudRun.serviceUrls[1]",
    ],
    ["an unknown enum name", { state: "RUNNING" }, "state"],
    ["a bad timestamp", { endTime: "2025-13-01T00:00:00Z" }, "endTime"],
    [
      "a map value of the wrong type",
      { deployJobRun: { metadata: { custom: { values: { a: 1 } } } } },
      'deployJobRun.metadata.custom.values["a"]',
    ],
    ["two members of the oneof", { deployJobRun: {}, verifyJobRun: {} }, "verifyJobRun"],
    ["a field given by both of its names", { phaseId: "a", phase_id: "b" }, "phase_id"],
  ];
  for (const [what, json, path] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        decodeJson(JobRunSchema, json);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      const apiError = error as ApiError;
      expect(apiError.code).toBe("INVALID_ARGUMENT");
      expect(apiError.message).toContain(` at ${path}:`);
      expect(apiError.details[0]).toMatchObject({ fieldViolations: [{ field: path }] });
    });
  }

  it("a prefix path locates entries of a larger document", () => {
    expect(() => decodeJson(JobRunSchema, { state: true }, { path: "jobRuns[4]" })).toThrow(
      /at jobRuns\[4\]\.state:/,
    );
  });

  it("unknown fields are skipped when asked (forward compatibility for clients)", () => {
    const run = decodeJson(
      JobRunSchema,
      { state: "FAILED", addedIn2030: { x: 1 } },
      { ignoreUnknownFields: true },
    );
    expect(run.state).toBe(JobRun_State.FAILED);
  });

  it("text that is not JSON says so", () => {
    expect(() => decodeJsonText(JobRunSchema, '{"name": ')).toThrow(/not JSON/);
    expect(() => decodeJsonText(JobRunSchema, "   ")).toThrow(/empty/);
  });

  it("agrees with protobuf-es about what is valid", () => {
    for (const document of Object.values(runsByKind)) {
      expect(decodeJson(JobRunSchema, document)).toEqual(fromJson(JobRunSchema, document));
      expect(toJson(JobRunSchema, decodeJson(JobRunSchema, document))).toEqual(document);
    }
  });
});
