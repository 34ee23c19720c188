// jobrun's own streaming method, WatchJobRuns, derived from proto/jobrun/v1/watch.proto the way the
// unary methods are from Google's: its route, its policy row, and the REST mapping both ways, while
// JobRunService and everything keyed by the unary methods stay as they were.
import { create, fromJson, toJson } from "@bufbuild/protobuf";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AnyRpcName,
  ApiError,
  buildHttpRequest,
  JobRun_State,
  type JobRunService,
  JobRunWatch,
  type JobRunWatchService,
  type MethodName,
  methodPolicies,
  type RpcName,
  routeOf,
  routes,
  WatchJobRunsRequestSchema,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  WatchJobRunsResponseSchema,
  type WatchMethodName,
  watchRoutes,
} from "../src/index.js";
import { matchRoute, parseHttpRequest } from "../src/server.js";
import { WatchJobRunsResponseJsonSchema } from "../src/zod.js";

const parent =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/rel-042/rollouts/rel-042-to-prod-0001";
const wildcard = "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-";

describe("the watch method, derived from the JobRunWatch descriptor", () => {
  it("is a streaming method of its own service, outside JobRunService", () => {
    expectTypeOf<WatchMethodName>().toEqualTypeOf<"watchJobRuns">();
    expectTypeOf<AnyRpcName>().toEqualTypeOf<RpcName | "WatchJobRuns">();
    expectTypeOf<keyof JobRunService>().toEqualTypeOf<MethodName>();
    expectTypeOf<keyof JobRunWatchService>().toEqualTypeOf<"watchJobRuns">();
    expectTypeOf<ReturnType<JobRunWatchService["watchJobRuns"]>>().toEqualTypeOf<
      AsyncIterable<WatchJobRunsResponse>
    >();
    expect(JobRunWatch.typeName).toBe("jobrun.v1.JobRunWatch");
    expect(JobRunWatch.method.watchJobRuns.methodKind).toBe("server_streaming");
  });

  it("has its route apart from the unary routes, with Google-style binding and its policy row", () => {
    expect(routes.map((route) => route.rpc)).not.toContain("WatchJobRuns");
    expect(watchRoutes.map((r) => [r.rpc, r.method, r.template.source, r.body])).toEqual([
      [
        "WatchJobRuns",
        "GET",
        "/v1/{parent=projects/*/locations/*/deliveryPipelines/*/releases/*/rollouts/*}/jobRuns:watch",
        "",
      ],
    ]);
    const route = routeOf("WatchJobRuns");
    expect(route).toBe(watchRoutes[0]);
    expect(route.policy).toBe(methodPolicies.watchJobRuns);
    expect(route.input).toBe(WatchJobRunsRequestSchema);
    expect(route.output).toBe(WatchJobRunsResponseSchema);
  });

  it("is authorized as list is: reader role, the parent with wildcards; streaming, never cached", () => {
    expect(methodPolicies.watchJobRuns).toEqual({
      role: "reader",
      idempotent: true,
      resource: { field: "parent", kind: "Rollout", wildcards: true },
      cacheable: false,
      streaming: true,
    });
    for (const name of ["getJobRun", "listJobRuns", "terminateJobRun"] as const) {
      expect(methodPolicies[name].streaming).toBe(false);
    }
  });
});

describe("the watch's REST mapping", () => {
  it("builds GET …/jobRuns:watch with the filter in the query, and parses it back", () => {
    const filter = 'state="IN_PROGRESS"';
    const http = buildHttpRequest("WatchJobRuns", { parent: wildcard, filter });
    expect(http).toMatchObject({
      method: "GET",
      path: `/v1/${wildcard}/jobRuns:watch`,
      query: new URLSearchParams({ filter }).toString(),
      body: undefined,
      params: { parent: wildcard },
    });
    const match = matchRoute(http.method, http.path, watchRoutes);
    if (match.kind !== "match") throw new Error("no match");
    expect(match.route.rpc).toBe("WatchJobRuns");
    expect(parseHttpRequest(match.route, match.params, new URLSearchParams(http.query), undefined)).toEqual(
      create(WatchJobRunsRequestSchema, { parent: wildcard, filter }),
    );
  });

  it("is matched only against the watch routes: the unary table does not know it", () => {
    expect(matchRoute("GET", `/v1/${parent}/jobRuns:watch`)).toEqual({ kind: "not-found" });
    expect(matchRoute("POST", `/v1/${parent}/jobRuns:watch`, watchRoutes)).toEqual({
      kind: "method-not-allowed",
      allow: ["GET"],
    });
    expect(matchRoute("GET", `/v1/${parent}/jobRuns`, watchRoutes)).toEqual({ kind: "not-found" });
  });

  it("refuses a bad parent and unknown query parameters as list does", () => {
    expect(() => buildHttpRequest("WatchJobRuns", { parent: "projects/-/locations/l" })).toThrow(ApiError);
    const route = routeOf("WatchJobRuns");
    expect(() =>
      parseHttpRequest(
        route,
        { parent: "projects/-/locations/-/deliveryPipelines/-/releases/-/rollouts/-" },
        new URLSearchParams(),
        undefined,
      ),
    ).toThrow(/project/);
    expect(() => parseHttpRequest(route, { parent }, new URLSearchParams("pageSize=5"), undefined)).toThrow(
      'query parameter "pageSize" is not a parameter of this method',
    );
  });
});

describe("WatchJobRunsResponse in proto3 JSON", () => {
  it("encodes its type by name (or number) and the run as a JobRun", () => {
    const response = create(WatchJobRunsResponseSchema, {
      type: WatchJobRunsResponse_Type.CHANGED,
      jobRun: { name: `${parent}/jobRuns/a`, state: JobRun_State.TERMINATING },
    });
    const json = toJson(WatchJobRunsResponseSchema, response);
    expect(json).toEqual({ type: "CHANGED", jobRun: { name: `${parent}/jobRuns/a`, state: "TERMINATING" } });
    expect(toJson(WatchJobRunsResponseSchema, response, { enumAsInteger: true })).toEqual({
      type: 4,
      jobRun: { name: `${parent}/jobRuns/a`, state: 4 },
    });
    expect(fromJson(WatchJobRunsResponseSchema, json)).toEqual(response);
    expect(toJson(WatchJobRunsResponseSchema, create(WatchJobRunsResponseSchema, { type: 2 }))).toEqual({
      type: "SYNCED",
    });
  });

  it("has a zod schema that imports JobRun's from its own file", () => {
    expect(
      WatchJobRunsResponseJsonSchema.safeParse({ type: "ADDED", jobRun: { state: "FAILED" } }).success,
    ).toBe(true);
    expect(
      WatchJobRunsResponseJsonSchema.safeParse({ type: "ADDED", jobRun: { state: "NOPE" } }).success,
    ).toBe(false);
    expect(WatchJobRunsResponseJsonSchema.safeParse({ type: "ADDED", jobRun: { bogus: 1 } }).success).toBe(
      false,
    );
  });
});
