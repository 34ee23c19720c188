// The collection knowledge the emulator's store, the proxy's scopes and OpenAPI, and the TUI share.
import { describe, expect, it } from "vitest";
import {
  ApiError,
  concretePrefixOf,
  deliveryPipelineOf,
  isNameUnder,
  JOB_RUN_COLLECTIONS,
  nameHasWildcard,
  nameIds,
  parentPrefixes,
  parseJobRunName,
  parseNamePrefix,
  parseRolloutName,
  releaseOf,
  rolloutOf,
  variableOfCollection,
} from "../src/index.js";

const name =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/r-1/jobRuns/j-1";
const parts = parseJobRunName(name);

describe("the parent chain of a JobRun", () => {
  it("lists the collections in order, with their variables", () => {
    expect(JOB_RUN_COLLECTIONS.map((c) => `${c.collection}/${c.variable}`)).toEqual([
      "projects/project",
      "locations/location",
      "deliveryPipelines/deliveryPipeline",
      "releases/release",
      "rollouts/rollout",
      "jobRuns/jobRun",
    ]);
    expect(variableOfCollection("deliveryPipelines")).toBe("deliveryPipeline");
    expect(variableOfCollection("builds")).toBeUndefined();
  });

  it("gives the prefixes a run lies under, shortest first, and its pipeline, release and rollout", () => {
    expect(parentPrefixes(parts)).toEqual([
      "projects/acme-prod",
      "projects/acme-prod/locations/us-central1",
      "projects/acme-prod/locations/us-central1/deliveryPipelines/web",
      "projects/acme-prod/locations/us-central1/deliveryPipelines/web/releases/rel-1",
      "projects/acme-prod/locations/us-central1/deliveryPipelines/web/releases/rel-1/rollouts/r-1",
    ]);
    expect(deliveryPipelineOf(parts)).toBe("projects/acme-prod/locations/us-central1/deliveryPipelines/web");
    expect(releaseOf(parts)).toBe(`${deliveryPipelineOf(parts)}/releases/rel-1`);
    expect(rolloutOf(parts)).toBe(name.slice(0, name.indexOf("/jobRuns/")));
    expect(nameIds(name)).toEqual(["acme-prod", "us-central1", "web", "rel-1", "r-1", "j-1"]);
  });
});

describe("List parents with wildcards", () => {
  const parent = (text: string) => parseRolloutName(text, { wildcards: true });

  it("reads the longest concrete prefix, and says when segments after a wildcard still select", () => {
    expect(concretePrefixOf(parent(rolloutOf(parts)))).toEqual({ prefix: rolloutOf(parts), complete: true });
    expect(
      concretePrefixOf(parent("projects/p/locations/l/deliveryPipelines/web/releases/-/rollouts/-")),
    ).toEqual({ prefix: "projects/p/locations/l/deliveryPipelines/web", complete: true });
    expect(
      concretePrefixOf(parent("projects/p/locations/-/deliveryPipelines/web/releases/-/rollouts/-")),
    ).toEqual({ prefix: "projects/p", complete: false });
    expect(nameHasWildcard("projects/p/locations/-/deliveryPipelines/web/releases/-/rollouts/-")).toBe(true);
    expect(nameHasWildcard(name)).toBe(false);
  });
});

describe("name prefixes (the proxy's scopes)", () => {
  it("accepts whole collection/value pairs of a JobRun name", () => {
    for (const prefix of ["projects/p", "projects/example.com:p/locations/l", rolloutOf(parts), name]) {
      expect(parseNamePrefix(prefix)).toBe(prefix);
    }
  });

  it.each([
    ["a lone collection", "projects", /has 1 segments; expected 2/],
    ["a dangling collection", "projects/p/locations", /has 3 segments; expected 4/],
    ["a wrong collection", "projects/p/regions/r", /segment 3 is "regions"; expected "locations"/],
    ["a wildcard", "projects/p/locations/-", /location segment is the wildcard/],
    ["a dot segment", "projects/..", /project segment is a dot segment/],
    ["too many segments", `${name}/x/y`, /has 14 segments; expected 12/],
    ["the empty string", "", /it is empty/],
  ])("refuses %s, saying why", (_what, prefix, reason) => {
    let error: unknown;
    try {
      parseNamePrefix(prefix, { field: "scope" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(reason);
    expect((error as ApiError).details[0]).toMatchObject({ fieldViolations: [{ field: "scope" }] });
  });

  it("compares by whole segments: projects/p does not admit projects/p2", () => {
    expect(isNameUnder(name, "projects/acme-prod")).toBe(true);
    expect(isNameUnder(name, name)).toBe(true);
    expect(isNameUnder(name, "projects/acme")).toBe(false);
    expect(isNameUnder("projects/acme-prod", name)).toBe(false);
    expect(
      isNameUnder(
        "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
        "projects/acme-prod/locations/us-central1",
      ),
    ).toBe(false);
  });
});
