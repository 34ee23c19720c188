import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { JobRun_State } from "@jobrun/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileFilter } from "../src/filter/evaluate.js";
import { compileGlob } from "../src/filter/glob.js";
import { parseFilter } from "../src/filter/parser.js";
import { run, thrownBy } from "./helpers.js";

const deploy = (failureCause: number, extra: object = {}) =>
  run("d", { jobRun: { case: "deployJobRun", value: { failureCause, ...extra } } });

describe("parseFilter", () => {
  it("gives OR a tighter binding than AND, as AIP-160 says", () => {
    expect(parseFilter("a=1 AND b=2 OR c=3")).toMatchObject({
      kind: "and",
      children: [{ kind: "compare" }, { kind: "or", children: [{ kind: "compare" }, { kind: "compare" }] }],
    });
  });

  it("reads juxtaposition as AND, and NOT and - as negation", () => {
    expect(parseFilter("a=1 b=2")).toMatchObject({ kind: "and" });
    expect(parseFilter("NOT a=1")).toMatchObject({ kind: "not", child: { kind: "compare" } });
    expect(parseFilter("-a=1")).toMatchObject({ kind: "not" });
    expect(parseFilter("   ")).toBeUndefined();
  });

  it("reads quoted strings with escapes and bare RFC 3339 timestamps", () => {
    expect(parseFilter('a="x \\"y\\""')).toMatchObject({ value: { text: 'x "y"', quoted: true } });
    expect(parseFilter("createTime>2025-01-01T10:00:00.5+02:00")).toMatchObject({
      op: ">",
      value: { text: "2025-01-01T10:00:00.5+02:00", quoted: false },
    });
    expect(parseFilter("phaseId=canary-25")).toMatchObject({ value: { text: "canary-25" } });
  });

  it.each([
    ['state="FAILED" AND', 19, "after AND"],
    ['(state="FAILED"', 16, 'expected ")"'],
    ['state="FAILED', 7, "not closed"],
    ["state", 6, "comparison operator"],
    ["state = ", 9, "expected a value"],
    ['state="A")', 10, 'unmatched ")"'],
    ["state ! x", 7, '"!="'],
    ["()", 2, "empty parentheses"],
  ])("reports %j at column %i", (filter, column, fragment) => {
    const error = thrownBy(() => parseFilter(filter));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(`column ${column}`);
    expect(error.message).toContain(fragment);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    const filter = `${"(".repeat(500)}a=1${")".repeat(500)}`;
    expect(thrownBy(() => parseFilter(filter)).message).toContain("nests deeper");
  });
});

describe("compileFilter", () => {
  it("names the column of an unknown field, also a nested one", () => {
    expect(thrownBy(() => compileFilter('state="FAILED" AND phase="x"')).message).toContain("column 20");
    const nested = thrownBy(() => compileFilter("deployJobRun.failureCaus=1"));
    expect(nested.message).toContain("column 14");
    expect(nested.message).toContain("failureCause");
  });

  it("refuses enum names of another enum and lists the valid ones", () => {
    const error = thrownBy(() => compileFilter('state="VERIFICATION_CONFIG_NOT_FOUND"'));
    expect(error.message).toContain("IN_PROGRESS");
    expect(error.message).toContain("column 7");
  });

  it("reads each kind's own FailureCause enum (CLOUD_BUILD_REQUEST_FAILED is 5 for deploy, 4 for predeploy)", () => {
    const byDeploy = compileFilter('deployJobRun.failureCause="CLOUD_BUILD_REQUEST_FAILED"');
    const byPredeploy = compileFilter('predeployJobRun.failureCause="CLOUD_BUILD_REQUEST_FAILED"');
    expect(byDeploy(deploy(5))).toBe(true);
    expect(byDeploy(deploy(4))).toBe(false);
    expect(byPredeploy(run("p", { jobRun: { case: "predeployJobRun", value: { failureCause: 4 } } }))).toBe(
      true,
    );
  });

  it("treats comparisons on absent values as false, whatever the operator", () => {
    const verify = run("v", { jobRun: { case: "verifyJobRun", value: {} } });
    expect(compileFilter("deployJobRun.failureCause!=EXECUTION_FAILED")(verify)).toBe(false);
    expect(compileFilter("NOT deployJobRun.failureCause=EXECUTION_FAILED")(verify)).toBe(true);
    expect(compileFilter('endTime < "2030-01-01T00:00:00Z"')(run("x"))).toBe(false);
    expect(compileFilter('endTime != "2030-01-01T00:00:00Z"')(run("x"))).toBe(false);
  });

  it("has: presence of messages, non-default scalars, list contents and map keys", () => {
    const withMeta = deploy(0, {
      metadata: {
        custom: { values: { region: "eu" } },
        cloudRun: { serviceUrls: ["https://a", "https://b"] },
      },
    });
    expect(compileFilter("deployJobRun:*")(withMeta)).toBe(true);
    expect(compileFilter("verifyJobRun:*")(withMeta)).toBe(false);
    expect(compileFilter("deployJobRun.failureCause:*")(withMeta)).toBe(false);
    expect(compileFilter('deployJobRun.metadata.cloudRun.serviceUrls:"https://b"')(withMeta)).toBe(true);
    expect(compileFilter('deployJobRun.metadata.cloudRun.serviceUrls:"https://c"')(withMeta)).toBe(false);
    expect(compileFilter("deployJobRun.metadata.custom.values:region")(withMeta)).toBe(true);
    expect(compileFilter('deployJobRun.metadata.custom.values.region="eu"')(withMeta)).toBe(true);
    expect(compileFilter('deployJobRun.metadata.custom.values.zone="eu"')(withMeta)).toBe(false);
  });

  it("matches * in string equality, but not in orderings", () => {
    const r = run("abc-1");
    expect(compileFilter('name="*/jobRuns/abc-*"')(r)).toBe(true);
    expect(compileFilter('name!="*/jobRuns/abc-*"')(r)).toBe(false);
    expect(compileFilter('uid="uid-*"')(r)).toBe(true);
    expect(compileFilter('uid>"uid-*"')(r)).toBe(true);
  });

  it("compares timestamps by instant, across offsets and fractions", () => {
    const r = run("t", { createTime: timestampFromMs(Date.UTC(2025, 0, 1, 12, 0, 0, 250)) });
    expect(compileFilter("createTime = 2025-01-01T13:00:00.25+01:00")(r)).toBe(true);
    expect(compileFilter('createTime > "2025-01-01T12:00:00.249999Z"')(r)).toBe(true);
    expect(compileFilter('createTime >= "2025-01-01T12:00:00.250001Z"')(r)).toBe(false);
    expect(thrownBy(() => compileFilter('createTime > "2025-02-30T00:00:00Z"')).message).toContain(
      "RFC 3339",
    );
  });

  it("compares enums by number and accepts snake_case and PascalCase paths", () => {
    const inProgress = run("s", { state: JobRun_State.IN_PROGRESS });
    expect(compileFilter("state < SUCCEEDED")(inProgress)).toBe(true);
    expect(compileFilter("state = 1")(inProgress)).toBe(true);
    expect(compileFilter('create_time > "2020-01-01T00:00:00Z"')(inProgress)).toBe(true);
    expect(compileFilter("State = IN_PROGRESS")(inProgress)).toBe(true);
  });

  it("refuses operators a type does not have", () => {
    expect(thrownBy(() => compileFilter('deployJobRun = "x"')).message).toContain("only");
    expect(thrownBy(() => compileFilter('deployJobRun.metadata.cloudRun.serviceUrls="x"')).message).toContain(
      "repeated",
    );
  });
});

describe("glob matching cost (issue 10.1)", () => {
  // A backtracking regex built from the glob took seconds to minutes on these: the matcher must take
  // time linear in the name for each star-separated part, whatever the number of stars.
  const longName = run(`${"a".repeat(200)}`);

  it('answers the exponential case name="******X" at once', () => {
    const started = performance.now();
    for (let stars = 1; stars <= 12; stars++) {
      expect(compileFilter(`name="${"*".repeat(stars)}X"`)(longName)).toBe(false);
      expect(compileFilter(`name="${"*a".repeat(stars)}X"`)(longName)).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("evaluates a 16 KB filter of stars against long names well under a second", () => {
    const names = Array.from({ length: 200 }, (_, i) => run(`${"a".repeat(150)}-${i}`));
    const patterns = [
      "*".repeat(16_000),
      `${"*a".repeat(8_000)}X`,
      `${"a*".repeat(8_000)}`,
      `*${"*a*".repeat(5_300)}`,
    ];
    for (const pattern of patterns) {
      const filter = `name="${pattern}"`;
      expect(filter.length).toBeGreaterThan(15_000);
      const predicate = compileFilter(filter);
      const started = performance.now();
      for (const name of names) predicate(name);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(compileFilter(`name="${"*".repeat(16_000)}"`)(names[0]!)).toBe(true);
  });

  it("keeps the glob's meaning: * is any run of characters, everything else is literal", () => {
    const r = run("a.b+c(d)[e]$f^g|h\\i?j");
    expect(compileFilter(`name="*/jobRuns/a.b+c(d)[e]$f^g|h\\\\i?j"`)(r)).toBe(true);
    expect(compileFilter('name="*/jobRuns/a?b*"')(r)).toBe(false);
    expect(compileFilter('name="*/jobRuns/a.b*j"')(r)).toBe(true);
    expect(compileFilter('name="*/jobRuns/a.b*j*"')(r)).toBe(true);
    expect(compileFilter('name="*/jobRuns/a.b**k"')(r)).toBe(false);
    expect(compileFilter(`name="projects/*"`)(r)).toBe(true);
    expect(compileFilter(`name="*projects/*"`)(r)).toBe(true);
    expect(compileFilter(`name="projects/p*p/*"`)(r)).toBe(false);
    expect(compileFilter(`uid="uid-a*a*"`)(run("aXa"))).toBe(true);
    // A prefix and a suffix may not overlap: "ab*ba" does not match "aba".
    expect(compileFilter(`uid="uid-ab*ba"`)(run("aba"))).toBe(false);
    expect(compileFilter(`uid="uid-ab*ba"`)(run("abba"))).toBe(true);
  });
});

describe("compileGlob", () => {
  it("agrees with a regular expression on small patterns over a small alphabet", () => {
    // The reference regex is safe here: patterns are at most 8 characters long.
    const reference = (pattern: string) => new RegExp(`^${pattern.split("*").join("[\\s\\S]*")}$`);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "b", "*"), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom("a", "b"), maxLength: 10 }),
        (pattern, text) => compileGlob(pattern)(text) === reference(pattern).test(text),
      ),
      { numRuns: 5_000 },
    );
  });
});
