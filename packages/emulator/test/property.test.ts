// Random runs and random filters/orders, checked against a naive reference: evaluate the AST directly
// on every run, sort everything, and compare with what paging through the emulator returns.

import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { type JobRun, JobRun_State, listAllJobRuns } from "@jobrun/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { doc, run } from "./helpers.js";

const parents = [
  "projects/p/locations/l1/deliveryPipelines/a/releases/r1/rollouts/o1",
  "projects/p/locations/l1/deliveryPipelines/a/releases/r2/rollouts/o1",
  "projects/p/locations/l2/deliveryPipelines/b/releases/r1/rollouts/o2",
];
const phases = ["canary-25", "canary-50", "stable"];
const jobs = ["predeploy", "deploy", "verify"];
const base = Date.UTC(2025, 0, 1);

const arbRun = fc.record({
  parent: fc.constantFrom(...parents),
  state: fc.integer({ min: 1, max: 5 }),
  phaseId: fc.constantFrom(...phases),
  jobId: fc.constantFrom(...jobs),
  minute: fc.integer({ min: 0, max: 6 }), // few values: many ties
  ended: fc.boolean(),
  deployCause: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
});

const arbRuns = fc.uniqueArray(
  fc.tuple(
    fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, "0")),
    arbRun,
  ),
  {
    selector: ([id]) => id,
    maxLength: 60,
  },
);

type Node =
  | { op: "cmp"; field: "state" | "phaseId" | "jobId" | "createTime"; cmp: string; value: string | number }
  | { op: "has"; field: "endTime" | "deployJobRun" }
  | { op: "cause"; value: number }
  | { op: "not"; child: Node }
  | { op: "and" | "or"; children: Node[] };

const stateNames = ["", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TERMINATING", "TERMINATED"];
const causeNames = [
  "FAILURE_CAUSE_UNSPECIFIED",
  "CLOUD_BUILD_UNAVAILABLE",
  "EXECUTION_FAILED",
  "DEADLINE_EXCEEDED",
  "MISSING_RESOURCES_FOR_CANARY",
  "CLOUD_BUILD_REQUEST_FAILED",
  "DEPLOY_FEATURE_NOT_SUPPORTED",
];
const cmps = ["=", "!=", "<", "<=", ">", ">="];

const arbLeaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({
    op: fc.constant("cmp" as const),
    field: fc.constant("state" as const),
    cmp: fc.constantFrom(...cmps),
    value: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    op: fc.constant("cmp" as const),
    field: fc.constantFrom("phaseId" as const, "jobId" as const),
    cmp: fc.constantFrom(...cmps),
    value: fc.constantFrom(...phases, ...jobs),
  }),
  fc.record({
    op: fc.constant("cmp" as const),
    field: fc.constant("createTime" as const),
    cmp: fc.constantFrom(...cmps),
    value: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({
    op: fc.constant("has" as const),
    field: fc.constantFrom("endTime" as const, "deployJobRun" as const),
  }),
  fc.record({ op: fc.constant("cause" as const), value: fc.integer({ min: 0, max: 6 }) }),
);

const arbFilter: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    arbLeaf,
    fc.record({ op: fc.constant("not" as const), child: tie("node") }),
    fc.record({
      op: fc.constantFrom("and" as const, "or" as const),
      children: fc.array(tie("node"), { minLength: 2, maxLength: 3 }),
    }),
  ),
})).node;

/** Renders with full parentheses (so AIP-160 precedence cannot change the meaning). */
function render(node: Node): string {
  switch (node.op) {
    case "cmp":
      if (node.field === "state") return `state ${node.cmp} ${stateNames[node.value as number]}`;
      if (node.field === "createTime")
        return `createTime ${node.cmp} "${new Date(base + (node.value as number) * 60_000).toISOString()}"`;
      return `${node.field} ${node.cmp} "${node.value}"`;
    case "has":
      return `${node.field}:*`;
    case "cause":
      return `deployJobRun.failureCause = ${causeNames[node.value]}`;
    case "not":
      return `NOT (${render(node.child)})`;
    default:
      return node.children.map((c) => `(${render(c)})`).join(` ${node.op.toUpperCase()} `);
  }
}

function compare(a: number | string, cmp: string, b: number | string): boolean {
  return cmp === "="
    ? a === b
    : cmp === "!="
      ? a !== b
      : cmp === "<"
        ? a < b
        : cmp === "<="
          ? a <= b
          : cmp === ">"
            ? a > b
            : a >= b;
}

function evaluate(node: Node, r: JobRun): boolean {
  switch (node.op) {
    case "cmp":
      if (node.field === "state") return compare(r.state, node.cmp, node.value);
      if (node.field === "createTime")
        return compare(timestampMs(r.createTime!), node.cmp, base + (node.value as number) * 60_000);
      return compare(r[node.field], node.cmp, node.value);
    case "has":
      return node.field === "endTime" ? r.endTime !== undefined : r.jobRun.case === "deployJobRun";
    case "cause":
      return r.jobRun.case === "deployJobRun" && r.jobRun.value.failureCause === node.value;
    case "not":
      return !evaluate(node.child, r);
    case "and":
      return node.children.every((c) => evaluate(c, r));
    case "or":
      return node.children.some((c) => evaluate(c, r));
  }
}

const orders: [string, (a: JobRun, b: JobRun) => number][] = [
  ["", (a, b) => timestampMs(b.createTime!) - timestampMs(a.createTime!) || cmpText(a.name, b.name)],
  ["name desc", (a, b) => cmpText(b.name, a.name)],
  [
    "state, phaseId desc",
    (a, b) => a.state - b.state || cmpText(b.phaseId, a.phaseId) || cmpText(a.name, b.name),
  ],
  [
    "createTime, jobId",
    (a, b) =>
      timestampMs(a.createTime!) - timestampMs(b.createTime!) ||
      cmpText(a.jobId, b.jobId) ||
      cmpText(a.name, b.name),
  ],
  [
    "endTime desc",
    (a, b) =>
      (b.endTime ? timestampMs(b.endTime) : -1) - (a.endTime ? timestampMs(a.endTime) : -1) ||
      cmpText(a.name, b.name),
  ],
];

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function build(entries: [string, typeof arbRun extends fc.Arbitrary<infer T> ? T : never][]): JobRun[] {
  return entries.map(([id, e]) =>
    run(
      id,
      {
        state: e.state as JobRun_State,
        phaseId: e.phaseId,
        jobId: e.jobId,
        createTime: timestampFromMs(base + e.minute * 60_000),
        ...(e.ended ? { endTime: timestampFromMs(base + e.minute * 60_000 + 30_000) } : {}),
        ...(e.deployCause === undefined
          ? {}
          : { jobRun: { case: "deployJobRun" as const, value: { failureCause: e.deployCause } } }),
      },
      e.parent,
    ),
  );
}

const wildcardParents = [
  ...parents,
  "projects/p/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
  "projects/p/locations/l1/deliveryPipelines/a/releases/-/rollouts/-",
  "projects/p/locations/-/deliveryPipelines/-/releases/r1/rollouts/-",
];

describe("listing matches a naive reference", () => {
  it("for random runs, filters, orders, parents and page sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRuns,
        arbFilter,
        fc.constantFrom(...orders),
        fc.constantFrom(...wildcardParents),
        fc.integer({ min: 1, max: 8 }),
        async (entries, filter, [orderBy, sort], parent, pageSize) => {
          const runs = build(entries);
          const emulator = createEmulator({ jobRuns: doc(...runs) });
          const listed: string[] = [];
          for await (const r of listAllJobRuns(emulator, {
            parent,
            filter: render(filter),
            orderBy,
            pageSize,
          }))
            listed.push(r.name);
          const want = parent.split("/");
          const expected = runs
            .filter((r) =>
              r.name
                .split("/")
                .slice(0, want.length)
                .every((s, i) => want[i] === "-" || want[i] === s),
            )
            .filter((r) => evaluate(filter, r))
            .sort(sort)
            .map((r) => r.name);
          expect(listed).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps matching after random terminations and re-imports (indexes stay in step)", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRuns,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.constantFrom(...orders),
        async (entries, picks, [orderBy, sort]) => {
          const runs = build(entries);
          const emulator = createEmulator({ jobRuns: doc(...runs), terminateDelayMs: 0 });
          // Build the ordering's index first, so the changes below must update it.
          await emulator.listJobRuns({ parent: parents[0]!, orderBy });
          const terminated = new Set<string>();
          for (const pick of picks) {
            const target = runs[pick % Math.max(1, runs.length)];
            if (target?.state !== JobRun_State.IN_PROGRESS || terminated.has(target.name)) continue;
            await emulator.terminateJobRun({ name: target.name });
            terminated.add(target.name);
          }
          emulator.stop();
          const current = (await Promise.all(
            runs.map((r) => emulator.getJobRun({ name: r.name })),
          )) as JobRun[];
          const listed: string[] = [];
          for await (const r of listAllJobRuns(emulator, {
            parent: wildcardParents[3]!,
            orderBy,
            pageSize: 5,
          }))
            listed.push(r.name);
          expect(listed).toEqual([...current].sort(sort).map((r) => r.name));
        },
      ),
      { numRuns: 100 },
    );
  });
});
