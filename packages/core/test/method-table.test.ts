// The RPC plumbing derived from the CloudDeploy service descriptor: method names, the policy table,
// the route table keyed by method, and parseHttpRequest as the inverse of buildHttpRequest.
import { create } from "@bufbuild/protobuf";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ApiError,
  buildHttpRequest,
  CloudDeploy,
  GetJobRunRequestSchema,
  immediateAnswersOf,
  type JobRunService,
  JobRunWatch,
  ListJobRunsRequestSchema,
  type MethodName,
  type MethodPolicy,
  methodPolicies,
  parseJobRunName,
  type ReadMethodName,
  type RpcName,
  roleAllows,
  routeOf,
  routes,
  routeTable,
  TerminateJobRunRequestSchema,
} from "../src/index.js";
import { matchRoute, parseHttpRequest } from "../src/server.js";

const name =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/rel-042/rollouts/rel-042-to-prod-0001/jobRuns/5b0a0d4e";
const parent = name.slice(0, name.indexOf("/jobRuns/"));

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
    return error as ApiError;
  }
  throw new Error("expected an INVALID_ARGUMENT ApiError");
}

describe("method names and the service type, derived from the descriptor", () => {
  it("names every method of the generated service, and nothing else", () => {
    expectTypeOf<MethodName>().toEqualTypeOf<"getJobRun" | "listJobRuns" | "terminateJobRun">();
    expectTypeOf<RpcName>().toEqualTypeOf<"GetJobRun" | "ListJobRuns" | "TerminateJobRun">();
    expectTypeOf<keyof JobRunService>().toEqualTypeOf<MethodName>();
    expect(Object.keys(routeTable).sort()).toEqual(CloudDeploy.methods.map((m) => m.localName).sort());
  });

  it("answers at once only the methods that change nothing, as the policy table says", () => {
    // A method added as a read (role reader) joins ReadMethodName, and an emulator must answer it.
    expectTypeOf<ReadMethodName>().toEqualTypeOf<"getJobRun" | "listJobRuns">();
    const reads = (Object.keys(methodPolicies) as (keyof typeof methodPolicies)[]).filter(
      (method) => methodPolicies[method].role === "reader" && !methodPolicies[method].streaming,
    );
    expect(reads.sort()).toEqual(["getJobRun", "listJobRuns"]);
  });

  it("finds the immediate answers of a backend that has them, and only then", () => {
    const unary = async () => {
      throw new ApiError("UNIMPLEMENTED", "not here");
    };
    const plain = {
      getJobRun: unary,
      listJobRuns: unary,
      terminateJobRun: unary,
    } as unknown as JobRunService;
    expect(immediateAnswersOf(plain)).toBeUndefined();
    const inMemory = Object.assign(Object.create(plain) as JobRunService, { answerNow: () => undefined });
    expect(immediateAnswersOf(inMemory)).toBe(inMemory);
    expect(immediateAnswersOf({ ...plain, answerNow: "yes" } as unknown as JobRunService)).toBeUndefined();
  });

  it("keys the route table by method, each route carrying its policy row", () => {
    for (const route of routes) {
      expect(routeTable[route.methodName]).toBe(route);
      expect(routeOf(route.rpc)).toBe(route);
      expect(route.policy).toBe(methodPolicies[route.methodName]);
      expect(route.input).toBe(CloudDeploy.method[route.methodName].input);
      expect(route.output).toBe(CloudDeploy.method[route.methodName].output);
    }
  });
});

describe("the policy table", () => {
  it("has a row for every method of the proto, the watch included", () => {
    expect(Object.keys(methodPolicies).sort()).toEqual(
      [...CloudDeploy.methods, ...JobRunWatch.methods].map((m) => m.localName).sort(),
    );
  });

  it("does not typecheck without a row for every method", () => {
    const { terminateJobRun: _, ...partial } = methodPolicies;
    // @ts-expect-error terminateJobRun has no row: the table no longer satisfies the policy type.
    const table: { readonly [M in MethodName]: MethodPolicy<M> } = partial;
    expect(Object.keys(table)).not.toContain("terminateJobRun");
  });

  it("does not typecheck with a resource field the request does not have", () => {
    const row: MethodPolicy<"listJobRuns"> = {
      ...methodPolicies.listJobRuns,
      // @ts-expect-error a ListJobRunsRequest has no `name`.
      resource: { field: "name", kind: "Rollout", wildcards: true },
    };
    expect(row.resource.field).toBe("name");
  });

  it("says what Google's API does: reads for readers and retried, terminate for operators and never retried", () => {
    expect(methodPolicies.getJobRun).toMatchObject({ role: "reader", idempotent: true, cacheable: true });
    expect(methodPolicies.listJobRuns).toMatchObject({ role: "reader", idempotent: true, cacheable: false });
    expect(methodPolicies.terminateJobRun).toMatchObject({
      role: "operator",
      idempotent: false,
      cacheable: false,
    });
    expect(methodPolicies.listJobRuns.resource).toEqual({
      field: "parent",
      kind: "Rollout",
      wildcards: true,
    });
    expect(roleAllows("operator", "reader")).toBe(true);
    expect(roleAllows("reader", "operator")).toBe(false);
  });
});

describe("parseHttpRequest is the inverse of buildHttpRequest", () => {
  /** Builds the REST request, matches it as a server would, and parses it back. */
  function roundTrip<R extends RpcName>(rpc: R, request: Parameters<typeof buildHttpRequest<R>>[1]) {
    const http = buildHttpRequest(rpc, request);
    const match = matchRoute(http.method, http.path);
    if (match.kind !== "match") throw new Error(`no match for ${http.path}`);
    expect(match.route.rpc).toBe(rpc);
    return parseHttpRequest(match.route, match.params, new URLSearchParams(http.query), http.body);
  }

  it("GetJobRun", () => {
    expect(roundTrip("GetJobRun", { name })).toEqual(create(GetJobRunRequestSchema, { name }));
  });

  it("ListJobRuns with every query field and a wildcard parent", () => {
    const request = {
      parent: "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
      pageSize: 25,
      pageToken: "abc",
      filter: 'state="FAILED" AND jobId:"deploy"',
      orderBy: "createTime desc",
    };
    expect(roundTrip("ListJobRuns", request)).toEqual(create(ListJobRunsRequestSchema, request));
  });

  it("TerminateJobRun with and without a body", () => {
    const request = {
      name,
      overrideDeployPolicy: ["projects/acme-prod/locations/us-central1/deployPolicies/freeze"],
    };
    expect(roundTrip("TerminateJobRun", request)).toEqual(create(TerminateJobRunRequestSchema, request));
    expect(roundTrip("TerminateJobRun", { name })).toEqual(create(TerminateJobRunRequestSchema, { name }));
    const route = routeOf("TerminateJobRun");
    for (const body of [undefined, "", "  "]) {
      expect(parseHttpRequest(route, { name }, new URLSearchParams(), body)).toEqual(
        create(TerminateJobRunRequestSchema, { name }),
      );
    }
  });

  it("takes query fields by proto name too, and skips Google's system parameters", () => {
    const query = new URLSearchParams(
      "page_size=5&order_by=createTime&$alt=json;enum-encoding=int&prettyPrint=false",
    );
    expect(parseHttpRequest(routeOf("ListJobRuns"), { parent }, query, undefined)).toEqual(
      create(ListJobRunsRequestSchema, { parent, pageSize: 5, orderBy: "createTime" }),
    );
  });

  it("refuses unknown, repeated and doubled query parameters, naming them", () => {
    const list = routeOf("ListJobRuns");
    const parse = (query: string) => () =>
      parseHttpRequest(list, { parent }, new URLSearchParams(query), undefined);
    expect(refusal(parse("evil=1")).message).toBe('query parameter "evil" is not a parameter of this method');
    expect(refusal(parse("evil=1")).details[0]).toEqual({
      "@type": "type.googleapis.com/google.rpc.BadRequest",
      fieldViolations: [
        { field: "evil", description: 'query parameter "evil" is not a parameter of this method' },
      ],
    });
    expect(refusal(parse("pageSize=1&pageSize=2")).message).toMatch(/"pageSize" is given more than once/);
    expect(refusal(parse("pageSize=1&page_size=2")).message).toMatch(/"page_size" repeats pageSize/);
    expect(refusal(parse("parent=x")).message).toMatch(/not a parameter/);
    expect(refusal(parse("pageSize=lots")).message).toMatch(/pageSize/);
    const terminate = () =>
      parseHttpRequest(
        routeOf("TerminateJobRun"),
        { name },
        new URLSearchParams("overrideDeployPolicy=x"),
        "{}",
      );
    expect(refusal(terminate).message).toMatch(/not a parameter of this method/);
  });

  it("reads only a method's own fields from the query, never names every object inherits", () => {
    for (const rpc of ["GetJobRun", "ListJobRuns", "TerminateJobRun"] as const) {
      const route = routeOf(rpc);
      const params = rpc === "ListJobRuns" ? { parent } : { name };
      for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const parse = () =>
          parseHttpRequest(
            route,
            params,
            new URLSearchParams(`${key}=1`),
            rpc === "TerminateJobRun" ? "{}" : undefined,
          );
        expect(refusal(parse).message).toBe(`query parameter "${key}" is not a parameter of this method`);
      }
    }
  });

  it("refuses a body whose name differs from the path's, and a body that is not the message", () => {
    const route = routeOf("TerminateJobRun");
    const other = name.replace("5b0a0d4e", "other");
    const parse = (body: string) => () => parseHttpRequest(route, { name }, new URLSearchParams(), body);
    expect(refusal(parse(JSON.stringify({ name: other }))).message).toBe(
      "the body's name differs from the name in the URL path",
    );
    expect(parse(JSON.stringify({ name }))()).toEqual(create(TerminateJobRunRequestSchema, { name }));
    expect(refusal(parse('{"force":true}')).message).toMatch(/force/);
    expect(refusal(parse("{")).message).toMatch(/not JSON/);
  });

  it("checks the resource name with the name rules, unless told it was checked", () => {
    const bad = name.replace("5b0a0d4e", "a".repeat(100));
    const route = routeOf("GetJobRun");
    expect(
      refusal(() => parseHttpRequest(route, { name: bad }, new URLSearchParams(), undefined)).message,
    ).toMatch(/jobRun segment is 100 characters long/);
    expect(
      parseHttpRequest(route, { name: bad }, new URLSearchParams(), undefined, { paramsChecked: true }).name,
    ).toBe(bad);
  });
});

describe("one name validator: buildHttpRequest refuses what parseJobRunName refuses", () => {
  const hostileIds: [string, string][] = [
    ["a 100-character id", "a".repeat(100)],
    ["a percent sign", "abc%2Fdef"],
    ["a space", "a b"],
    ["a query character", "a?b"],
    ["non-ASCII", "wéb"],
    ["an emoji", "🚀"],
    ["a colon outside the project", "x:terminate"],
    ["a wildcard", "-"],
    ["a NUL", "a\u0000b"],
    ["dots inside", "a..b"],
  ];
  for (const [what, id] of hostileIds) {
    it(`refuses ${what} in GetJobRun and TerminateJobRun, as parseJobRunName does`, () => {
      const bad = `${parent}/jobRuns/${id}`;
      const parsed = refusal(() => parseJobRunName(bad, { field: "name" }));
      for (const rpc of ["GetJobRun", "TerminateJobRun"] as const) {
        const built = refusal(() => buildHttpRequest(rpc, { name: bad }));
        expect(built.message).toBe(parsed.message);
        expect(built.details).toEqual(parsed.details);
      }
    });
  }

  it("refuses the same in a List parent, and allows its wildcards", () => {
    expect(
      refusal(() => buildHttpRequest("ListJobRuns", { parent: `${parent.slice(0, -4)}r 01` })).message,
    ).toMatch(/rollout segment contains " "/);
    expect(
      refusal(() =>
        buildHttpRequest("ListJobRuns", {
          parent: "projects/-/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
        }),
      ).message,
    ).toMatch(/project segment is the wildcard/);
    const wild = "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
    expect(buildHttpRequest("ListJobRuns", { parent: wild }).path).toBe(`/v1/${wild}/jobRuns`);
  });

  it("still encodes what the rules allow and a path needs escaped: a domain-scoped project", () => {
    const scoped = name.replace("acme-prod", "example.com:acme");
    expect(buildHttpRequest("GetJobRun", { name: scoped }).path).toContain("/projects/example.com%3Aacme/");
  });
});
