import { describe, expect, it } from "vitest";
import { ApiError, buildHttpRequest, routes, routingHeader } from "../src/index.js";
import { matchRoute, readSystemParameters } from "../src/server.js";

const name =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/rel-042/rollouts/rel-042-to-prod-0001/jobRuns/5b0a0d4e";
const parent = name.slice(0, name.indexOf("/jobRuns/"));

describe("the route table, read from the schema's http options", () => {
  it("has the three RPCs with Google's bindings", () => {
    expect(routes.map((r) => [r.rpc, r.method, r.template.source, r.body])).toEqual([
      [
        "ListJobRuns",
        "GET",
        "/v1/{parent=projects/*/locations/*/deliveryPipelines/*/releases/*/rollouts/*}/jobRuns",
        "",
      ],
      [
        "GetJobRun",
        "GET",
        "/v1/{name=projects/*/locations/*/deliveryPipelines/*/releases/*/rollouts/*/jobRuns/*}",
        "",
      ],
      [
        "TerminateJobRun",
        "POST",
        "/v1/{name=projects/*/locations/*/deliveryPipelines/*/releases/*/rollouts/*/jobRuns/*}:terminate",
        "*",
      ],
    ]);
  });
});

describe("build then match round-trips for all three RPCs", () => {
  it("GetJobRun", () => {
    const req = buildHttpRequest("GetJobRun", { name });
    expect(req).toMatchObject({ method: "GET", path: `/v1/${name}`, query: "", body: undefined });
    const match = matchRoute(req.method, req.path);
    expect(match).toMatchObject({ kind: "match", params: { name } });
    expect(match.kind === "match" && match.route.rpc).toBe("GetJobRun");
  });

  it("ListJobRuns with every query field, and a wildcard parent", () => {
    const wild = "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
    const req = buildHttpRequest("ListJobRuns", {
      parent: wild,
      pageSize: 25,
      pageToken: "abc",
      filter: 'state="FAILED" AND jobId:"deploy"',
      orderBy: "createTime desc",
    });
    expect(req.path).toBe(`/v1/${wild}/jobRuns`);
    const query = new URLSearchParams(req.query);
    expect(Object.fromEntries(query)).toEqual({
      pageSize: "25",
      pageToken: "abc",
      filter: 'state="FAILED" AND jobId:"deploy"',
      orderBy: "createTime desc",
    });
    expect(matchRoute("GET", req.path)).toMatchObject({ kind: "match", params: { parent: wild } });
  });

  it("TerminateJobRun with a body", () => {
    const req = buildHttpRequest("TerminateJobRun", {
      name,
      overrideDeployPolicy: ["projects/acme-prod/locations/us-central1/deployPolicies/freeze"],
    });
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/v1/${name}:terminate`);
    expect(JSON.parse(req.body ?? "")).toEqual({
      overrideDeployPolicy: ["projects/acme-prod/locations/us-central1/deployPolicies/freeze"],
    });
    expect(buildHttpRequest("TerminateJobRun", { name }).body).toBe("{}");
    expect(matchRoute("POST", req.path)).toMatchObject({ kind: "match", params: { name } });
  });

  it("asks for int enums with Google's system parameter", () => {
    const req = buildHttpRequest("GetJobRun", { name }, { enumEncoding: "int" });
    const query = new URLSearchParams(req.query);
    expect(query.get("$alt")).toBe("json;enum-encoding=int");
    expect(readSystemParameters(query).enumEncoding).toBe("int");
    expect(readSystemParameters(new URLSearchParams("alt=json")).enumEncoding).toBe("name");
  });

  it("gives the routing header Google's clients send", () => {
    expect(routingHeader(buildHttpRequest("ListJobRuns", { parent }).params)).toBe(
      `parent=${encodeURIComponent(parent)}`,
    );
  });

  it("percent-encodes each segment so a value cannot escape it", () => {
    const scoped = name.replace("acme-prod", "example.com:acme");
    const req = buildHttpRequest("GetJobRun", { name: scoped });
    expect(req.path).toContain("/projects/example.com%3Aacme/");
    expect(matchRoute("GET", req.path)).toMatchObject({ kind: "match", params: { name: scoped } });
  });
});

describe("values that do not fit the template are refused when building", () => {
  const bad: [string, string, RegExp][] = [
    ["too few segments", parent, /does not match/],
    ["a wrong collection", name.replace("releases", "versions"), /segment 7 must be "releases"/],
    ["a dot-dot segment", name.replace("rel-042/", "../"), /dot segment/],
    ["an empty segment", name.replace("/rel-042/", "//"), /empty segment/],
  ];
  for (const [what, value, reason] of bad) {
    it(what, () => {
      expect(() => buildHttpRequest("GetJobRun", { name: value })).toThrow(reason);
      try {
        buildHttpRequest("GetJobRun", { name: value });
      } catch (error) {
        expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
      }
    });
  }
});

describe("matching hostile paths", () => {
  it("404 for unknown paths and 405 with Allow for a known path and wrong method", () => {
    expect(matchRoute("GET", "/v1/projects/p")).toEqual({ kind: "not-found" });
    expect(matchRoute("GET", `/v2/${name}`)).toEqual({ kind: "not-found" });
    expect(matchRoute("DELETE", `/v1/${name}`)).toEqual({ kind: "method-not-allowed", allow: ["GET"] });
    expect(matchRoute("GET", `/v1/${name}:terminate`)).toEqual({
      kind: "method-not-allowed",
      allow: ["POST"],
    });
    expect(matchRoute("POST", `/v1/${name}:cancel`)).toEqual({ kind: "not-found" });
  });

  const hostile: [string, string, RegExp][] = [
    ["an encoded slash", `/v1/${name.replace("web-frontend", "web%2Ffrontend")}`, /encodes a "\/"/],
    ["an encoded slash, lower case", `/v1/${name.replace("web-frontend", "a%2fb")}`, /encodes a "\/"/],
    ["a dot-dot segment", `/v1/${name.replace("rel-042/rollouts", "../rollouts")}`, /dot segment/],
    ["an encoded dot-dot", `/v1/${name.replace("rel-042/rollouts", "%2E%2E/rollouts")}`, /dot segment/],
    ["an empty segment", `/v1/${name.replace("/rel-042/", "//")}`, /empty path segment/],
    [
      "malformed percent-encoding",
      `/v1/${name.replace("web-frontend", "web%zz")}`,
      /malformed percent-encoding/,
    ],
    ["a truncated escape", `/v1/${name.replace("web-frontend", "web%E2%82")}`, /malformed percent-encoding/],
  ];
  for (const [what, path, reason] of hostile) {
    it(`refuses ${what} with INVALID_ARGUMENT`, () => {
      let error: unknown;
      try {
        matchRoute("GET", path);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
      expect((error as ApiError).message).toMatch(reason);
    });
  }

  it("decodes an encoded NUL so that name validation can refuse it", () => {
    const match = matchRoute("GET", `/v1/${name.replace("web-frontend", "web%00x")}`);
    expect(match.kind === "match" && match.params.name).toContain("web\u0000x");
  });
});
