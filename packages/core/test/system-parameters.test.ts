import { describe, expect, it } from "vitest";
import {
  ApiError,
  JobRunSchema,
  ListJobRunsResponseSchema,
  TerminateJobRunResponseSchema,
} from "../src/index.js";
import {
  checkFieldSelection,
  parseFieldSelection,
  readSystemParameters,
  SYSTEM_QUERY_PARAMETERS,
  selectFields,
} from "../src/server.js";

const run = {
  name: "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/j",
  uid: "u",
  state: "SUCCEEDED",
  createTime: "2025-03-01T00:00:00Z",
  deployJobRun: {
    build: "projects/p/locations/l/builds/b",
    metadata: { cloudRun: { service: "s", serviceUrls: ["https://x"], workerPool: "w" } },
    artifact: { artifactUri: "gs://a", manifestPaths: ["m.yaml"] },
  },
  etag: "e",
};
const page = { jobRuns: [run, { ...run, name: `${run.name}2`, state: "FAILED" }], nextPageToken: "t" };

function invalid(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
    return error as ApiError;
  }
  throw new Error("expected an INVALID_ARGUMENT");
}

const select = (fields: string, value: unknown) =>
  selectFields(value as never, parseFieldSelection(fields).root);

describe("partial responses: the fields parameter", () => {
  it("selects top-level fields", () => {
    expect(select("name,state", run)).toEqual({ name: run.name, state: "SUCCEEDED" });
  });

  it("selects nested fields with a/b", () => {
    expect(select("deployJobRun/build,deployJobRun/metadata/cloudRun/service", run)).toEqual({
      deployJobRun: { build: run.deployJobRun.build, metadata: { cloudRun: { service: "s" } } },
    });
  });

  it("selects sub-fields of each element of a list with a(b,c)", () => {
    expect(select("jobRuns(name,state),nextPageToken", page)).toEqual({
      jobRuns: [
        { name: run.name, state: "SUCCEEDED" },
        { name: `${run.name}2`, state: "FAILED" },
      ],
      nextPageToken: "t",
    });
  });

  it("nests sub-selections and paths", () => {
    expect(select("jobRuns(deployJobRun(artifact/manifestPaths,build))", page)).toEqual({
      jobRuns: [0, 1].map(() => ({
        deployJobRun: { build: run.deployJobRun.build, artifact: { manifestPaths: ["m.yaml"] } },
      })),
    });
  });

  it("takes * as every field at its level", () => {
    expect(select("*", run)).toEqual(run);
    expect(select("jobRuns/*", page)).toEqual({ jobRuns: page.jobRuns });
    expect(select("deployJobRun/*/cloudRun", run)).toEqual({
      deployJobRun: { metadata: { cloudRun: run.deployJobRun.metadata.cloudRun } },
    });
  });

  it("keeps a field selected whole whatever else selects inside it, in either order", () => {
    expect(select("deployJobRun,deployJobRun/build", run)).toEqual({ deployJobRun: run.deployJobRun });
    expect(select("deployJobRun/build,deployJobRun", run)).toEqual({ deployJobRun: run.deployJobRun });
    expect(select("deployJobRun(build),deployJobRun(artifact)", run)).toEqual({
      deployJobRun: { build: run.deployJobRun.build, artifact: run.deployJobRun.artifact },
    });
  });

  it("keeps fields newer than the schema (the answer's own JSON is filtered, not re-encoded)", () => {
    expect(
      select("deployJobRun/metadata/cloudRun/workerPool,analysisJobRun", { ...run, analysisJobRun: {} }),
    ).toEqual({
      deployJobRun: { metadata: { cloudRun: { workerPool: "w" } } },
      analysisJobRun: {},
    });
  });

  it("omits a sub-object that has nothing selected left, as an unset message is", () => {
    expect(select("name,verifyJobRun/build,deployJobRun/failureCause", run)).toEqual({ name: run.name });
  });

  it.each([
    ["", "missing"],
    ["name,", "missing at the end"],
    ["name,,state", "character 6"],
    ["jobRuns(name", "not closed"],
    ["name)", "closes nothing"],
    ["a/", "missing"],
    ["na-me", "unexpected"],
    ["(name)", "character 1"],
    ["x".repeat(3000), "longer than"],
    [`${"a(".repeat(20)}b${")".repeat(20)}`, "deeper"],
  ])("refuses %j with INVALID_ARGUMENT naming the problem", (text, fragment) => {
    const error = invalid(() => parseFieldSelection(text));
    expect(error.message).toContain(fragment);
    expect(error.reason).toBe("INVALID_FIELD_SELECTION");
    expect(error.details[0]).toMatchObject({ fieldViolations: [{ field: "fields" }] });
  });

  it("checks names against the answer's schema and spells them as its JSON does", () => {
    const checked = checkFieldSelection(
      ListJobRunsResponseSchema,
      parseFieldSelection("job_runs(name,deploy_job_run/build),next_page_token"),
    );
    expect(selectFields(page as never, checked.root)).toEqual({
      jobRuns: page.jobRuns.map((r) => ({ name: r.name, deployJobRun: { build: r.deployJobRun.build } })),
      nextPageToken: "t",
    });
    expect(checkFieldSelection(JobRunSchema, parseFieldSelection("*")).root.has("*")).toBe(true);
    expect(checkFieldSelection(TerminateJobRunResponseSchema, parseFieldSelection("*")).text).toBe("*");
  });

  it.each([
    [JobRunSchema, "status", '"status" is not a field of google.cloud.deploy.v1.JobRun'],
    [
      JobRunSchema,
      "deployJobRun/cause",
      '"deployJobRun/cause" is not a field of google.cloud.deploy.v1.DeployJobRun',
    ],
    [ListJobRunsResponseSchema, "jobRuns(nme)", '"jobRuns/nme" is not a field'],
    [JobRunSchema, "name/first", '"name" has no fields to select'],
    [JobRunSchema, "createTime/seconds", '"createTime" has no fields to select'],
    [JobRunSchema, "state(x)", '"state" has no fields to select'],
  ])("refuses a selection the schema does not have: %s %s", (schema, text, fragment) => {
    const error = invalid(() => checkFieldSelection(schema, parseFieldSelection(text)));
    expect(error.message).toContain(fragment);
  });

  it("lets any key follow a map field (its keys are data)", () => {
    const custom = { deployJobRun: { metadata: { custom: { values: { a: "1", b: "2" } } } } };
    const checked = checkFieldSelection(
      JobRunSchema,
      parseFieldSelection("deployJobRun/metadata/custom/values/a"),
    );
    expect(selectFields(custom as never, checked.root)).toEqual({
      deployJobRun: { metadata: { custom: { values: { a: "1" } } } },
    });
  });
});

describe("Google's system parameters", () => {
  const read = (query: string) => readSystemParameters(new URLSearchParams(query));

  it("defaults to the whole answer as indented JSON with enum names", () => {
    const none = read("");
    expect(none).toMatchObject({ alt: "json", enumEncoding: "name", prettyPrint: true, fields: undefined });
    expect(none.forwarded).toEqual([]);
  });

  it("reads every parameter, under either spelling", () => {
    const all = read(
      "$alt=json;enum-encoding=int&$fields=name,state&prettyPrint=false&$.xgafv=2&quotaUser=alice&uploadType=media&pageSize=3",
    );
    expect(all.alt).toBe("json");
    expect(all.enumEncoding).toBe("int");
    expect(all.fields?.text).toBe("name,state");
    expect(all.prettyPrint).toBe(false);
    expect(all.errorFormat).toBe("2");
    expect(all.quotaUser).toBe("alice");
    // What shapes the answer is forwarded as given; request fields and upload parameters are not.
    expect(all.forwarded).toEqual([
      ["$alt", "json;enum-encoding=int"],
      ["$fields", "name,state"],
      ["prettyPrint", "false"],
      ["$.xgafv", "2"],
      ["quotaUser", "alice"],
    ]);
    expect(read("alt=proto").alt).toBe("proto");
    expect(read("alt=media").alt).toBe("media");
    expect(read("$prettyPrint=0").prettyPrint).toBe(false);
    expect(read("prettyPrint=TRUE").prettyPrint).toBe(true);
  });

  it("notes credentials and JSONP callbacks, so the server can refuse them", () => {
    const given = read("key=AIza&access_token=ya29&$oauth_token=x&callback=cb");
    expect(given.credentials).toEqual(["key", "access_token", "oauth_token"]);
    expect(given.callback).toBe("cb");
    expect(given.forwarded).toEqual([]);
  });

  it.each([
    ["prettyPrint=maybe", "prettyPrint must be true or false"],
    ["alt=xml", "alt must be json, proto or media"],
    ["$.xgafv=3", "$.xgafv must be 1 or 2"],
    ["fields=a,,b", "fields"],
    ["fields=a&$fields=b", "fields is given more than once"],
    ["alt=json&$alt=proto", "alt is given more than once"],
  ])("refuses %s", (query, fragment) => {
    const error = invalid(() => read(query));
    expect(error.message).toContain(fragment);
  });

  it("lists every system parameter name for the request parser to skip", () => {
    for (const name of [
      "fields",
      "$fields",
      "quotaUser",
      "$.xgafv",
      "callback",
      "key",
      "access_token",
      "alt",
    ]) {
      expect(SYSTEM_QUERY_PARAMETERS.has(name)).toBe(true);
    }
    expect(SYSTEM_QUERY_PARAMETERS.has("pageSize")).toBe(false);
  });
});
