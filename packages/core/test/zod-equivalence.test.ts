// The zod schemas of @jobrun/core/zod must accept exactly what protobuf-es `fromJson` accepts. The
// corpus: the reference-shaped documents, every field of them replaced by each probe value, plus
// hand-picked edge cases (both names of a field, oneof conflicts, timestamps, int32 strings).
import { type DescMessage, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  GetJobRunRequestSchema,
  JobRunSchema,
  ListJobRunsRequestSchema,
  ListJobRunsResponseSchema,
  TerminateJobRunRequestSchema,
  TerminateJobRunResponseSchema,
} from "../src/index.js";
import {
  GetJobRunRequestJsonSchema,
  JobRunJsonSchema,
  ListJobRunsRequestJsonSchema,
  ListJobRunsResponseJsonSchema,
  TerminateJobRunRequestJsonSchema,
  TerminateJobRunResponseJsonSchema,
} from "../src/zod.js";
import { runsByKind } from "./fixtures.js";

const probes: unknown[] = [
  null,
  0,
  1,
  -1,
  1.5,
  2147483647,
  2147483648,
  -2147483649,
  true,
  "",
  "x",
  "7",
  " 7",
  "1e2",
  "0x10",
  "NaN",
  "IN_PROGRESS",
  "EXECUTION_FAILED",
  "MISSING_RESOURCES_FOR_CANARY",
  "in_progress",
  "2025-03-04T10:15:30Z",
  "2025-03-04T10:15:30.123456789+02:00",
  "2025-03-04T10:15:30.1234567891Z",
  "2025-03-04 10:15:30Z",
  "2025-03-04t10:15:30z",
  "0000-12-31T23:59:59Z",
  "10000-01-01T00:00:00Z",
  [],
  ["a"],
  ["a", null],
  [1],
  {},
  { a: "b" },
  { a: null },
  { a: 1 },
  { unknown: 1 },
];

/** Every document obtained by replacing one value (at any depth) of `doc` with one probe. */
function* mutations(doc: unknown): Generator<unknown> {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      for (const variant of mutations(doc[i])) yield doc.map((item, j) => (j === i ? variant : item));
    }
    for (const probe of probes) yield probe;
    return;
  }
  if (typeof doc === "object" && doc !== null) {
    for (const [key, value] of Object.entries(doc)) {
      for (const variant of mutations(value)) yield { ...doc, [key]: variant };
    }
    for (const probe of probes) yield probe;
    return;
  }
  for (const probe of probes) yield probe;
}

function acceptedByProtobufEs(schema: DescMessage, doc: unknown): boolean {
  try {
    fromJson(schema, doc as JsonValue);
    return true;
  } catch {
    return false;
  }
}

interface Pair {
  readonly proto: DescMessage;
  readonly zod: z.ZodType;
  readonly corpus: unknown[];
}

const snakeRun = {
  name: "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/j",
  phase_id: "stable",
  job_id: "deploy",
  create_time: "2025-01-01T00:00:00Z",
  deploy_job_run: {
    failure_cause: 2,
    failure_message: "x",
    metadata: { cloud_run: { service_urls: ["u"] } },
  },
};

const handPicked: unknown[] = [
  snakeRun,
  { phaseId: "a", phase_id: "b" },
  { phaseId: null, phase_id: "b" },
  { deployJobRun: {}, verifyJobRun: {} },
  { deployJobRun: null, verifyJobRun: {} },
  { deployJobRun: {}, deploy_job_run: {} },
  { state: 99 },
  { state: -5 },
  { state: 1.5 },
  { state: "99" },
  { createTime: "2024-02-30T00:00:00Z" },
  { createTime: "2024-02-31T00:00:00Z" },
  { createTime: "9999-12-31T23:59:59Z" },
  { createTime: "9999-12-31T23:59:59.999Z" },
  { createTime: "0001-01-01T00:00:00Z" },
  { createTime: "2024-01-01T25:00:00Z" },
  { deployJobRun: { metadata: { custom: { values: { "": "" } } } } },
  { deployJobRun: { metadata: { custom: null } } },
  { etag: "e", uid: null },
  [],
  "JobRun",
  null,
];

const pairs: Pair[] = [
  {
    proto: JobRunSchema,
    zod: JobRunJsonSchema,
    corpus: [
      ...Object.values(runsByKind),
      ...handPicked,
      ...Object.values(runsByKind).flatMap((doc) => [...mutations(doc)]),
    ],
  },
  {
    proto: ListJobRunsResponseSchema,
    zod: ListJobRunsResponseJsonSchema,
    corpus: [
      ...mutations({
        jobRuns: [runsByKind.verify, runsByKind.createChildRollout],
        nextPageToken: "t",
        unreachable: ["x"],
      }),
      { job_runs: [], next_page_token: "t" },
      { jobRuns: [null] },
    ],
  },
  {
    proto: ListJobRunsRequestSchema,
    zod: ListJobRunsRequestJsonSchema,
    corpus: [
      ...mutations({ parent: "p", pageSize: 10, pageToken: "t", filter: "f", orderBy: "o" }),
      { pageSize: "10" },
      { pageSize: "10.0" },
      { pageSize: "1e3" },
      { pageSize: "-0" },
      { pageSize: "Infinity" },
      { pageSize: " 10" },
      { page_size: 3, pageSize: 4 },
    ],
  },
  { proto: GetJobRunRequestSchema, zod: GetJobRunRequestJsonSchema, corpus: [...mutations({ name: "n" })] },
  {
    proto: TerminateJobRunRequestSchema,
    zod: TerminateJobRunRequestJsonSchema,
    corpus: [
      ...mutations({ name: "n", overrideDeployPolicy: ["a", "b"] }),
      { override_deploy_policy: ["a"] },
    ],
  },
  {
    proto: TerminateJobRunResponseSchema,
    zod: TerminateJobRunResponseJsonSchema,
    corpus: [{}, { a: 1 }, null, []],
  },
];

describe("@jobrun/core/zod accepts exactly what protobuf-es fromJson accepts", () => {
  for (const { proto, zod, corpus } of pairs) {
    it(`${proto.name}: ${corpus.length} documents`, () => {
      let accepted = 0;
      const disagreements: string[] = [];
      for (const doc of corpus) {
        const expected = acceptedByProtobufEs(proto, doc);
        if (expected) accepted++;
        if (zod.safeParse(doc).success !== expected) {
          disagreements.push(
            `${expected ? "zod refused" : "zod accepted"}: ${JSON.stringify(doc).slice(0, 300)}`,
          );
        }
      }
      expect(disagreements.slice(0, 5), `${disagreements.length} disagreements`).toEqual([]);
      // The corpus must exercise both sides.
      expect(accepted).toBeGreaterThan(0);
      expect(accepted).toBeLessThan(corpus.length);
    });
  }

  it("reports where a document is wrong", () => {
    const result = JobRunJsonSchema.safeParse({
      deployJobRun: { metadata: { cloudRun: { serviceUrls: [3] } } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["deployJobRun", "metadata", "cloudRun", "serviceUrls", 0]);
  });
});
