// The memoized JSON text of runs and pages is byte for byte what encoding them afresh gives, in every
// layout and enum encoding, for the emulator's frozen snapshots and for fresh messages alike.
import { create } from "@bufbuild/protobuf";
import { encodeJson, JobRunSchema, ListJobRunsResponseSchema } from "@jobrun/core";
import { createEmulator } from "@jobrun/emulator";
import { describe, expect, it } from "vitest";
import { RunJsonMemo } from "../src/steps/run-json.js";

const emulator = createEmulator({ seed: 7, demo: true });
emulator.stop();
const fresh = (
  schema: typeof JobRunSchema | typeof ListJobRunsResponseSchema,
  message: never,
  enumEncoding: "name" | "int",
  pretty: boolean,
) => JSON.stringify(encodeJson(schema, message, { enumEncoding }), null, pretty ? 2 : undefined);

describe("RunJsonMemo", () => {
  const layouts = [
    ["name", true],
    ["name", false],
    ["int", true],
    ["int", false],
  ] as const;

  it.each(layouts)(
    "writes a list page as encoding it afresh would (enums by %s, indented: %s)",
    async (enumEncoding, pretty) => {
      const memo = new RunJsonMemo();
      const parent = "projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
      const first = await emulator.listJobRuns({ parent, pageSize: 7 });
      expect(first.nextPageToken).not.toBe("");
      expect(Object.isFrozen(first.jobRuns[0])).toBe(true); // the snapshots the memo keeps text for
      const last = await emulator.listJobRuns({ parent, pageSize: 1000 });
      expect(last.nextPageToken).toBe("");
      const withUnreachable = create(ListJobRunsResponseSchema, {
        jobRuns: first.jobRuns,
        nextPageToken: "tok",
        unreachable: ["locations/us-central1", 'a "quoted"\nname'],
      });
      for (const page of [first, last, withUnreachable, first]) {
        expect(new TextDecoder().decode(memo.page(page, enumEncoding, pretty))).toBe(
          fresh(ListJobRunsResponseSchema, page as never, enumEncoding, pretty),
        );
      }
      for (const run of first.jobRuns) {
        expect(memo.run(run, enumEncoding, pretty)).toBe(
          fresh(JobRunSchema, run as never, enumEncoding, pretty),
        );
      }
    },
  );

  it("leaves an empty page to the ordinary encoding, and encodes a run that is not a frozen snapshot afresh each time", async () => {
    const memo = new RunJsonMemo();
    expect(memo.page(create(ListJobRunsResponseSchema, {}), "name", true)).toBeUndefined();
    const run = create(JobRunSchema, {
      name: "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/j",
      uid: "a",
    });
    expect(memo.run(run, "name", false)).toBe(fresh(JobRunSchema, run as never, "name", false));
    run.uid = "b"; // a message that is not frozen may change: it is never served from the memo
    expect(memo.run(run, "name", false)).toContain('"uid":"b"');
  });
});
