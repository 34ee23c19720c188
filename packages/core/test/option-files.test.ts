// The generated JobRun and watch descriptors hydrate only the files whose types or extensions code
// uses (scripts/unread-option-files.mjs, run by `pnpm generate`): google/api/client.proto,
// field_behavior.proto and resource.proto, imported by the protos only for options, are not loaded
// with them. The options themselves must stay readable: a caller that brings the extension reads the
// value from the descriptor as before, and core's own route table still reads `google.api.http`.
import { getOption } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { http } from "../src/gen/google/api/annotations_pb.js";
import { default_host, method_signature, oauth_scopes } from "../src/gen/google/api/client_pb.js";
import { FieldBehavior, field_behavior } from "../src/gen/google/api/field_behavior_pb.js";
import { resource, resource_reference } from "../src/gen/google/api/resource_pb.js";
import {
  CloudDeploy,
  JobRunSchema,
  ListJobRunsRequestSchema,
} from "../src/gen/google/cloud/deploy/v1/jobrun_pb.js";
import { JobRunWatch, WatchJobRunsRequestSchema } from "../src/gen/jobrun/v1/watch_pb.js";

describe("the generated descriptors' option files", () => {
  it("are not hydrated with JobRun's and the watch's files", () => {
    expect(JobRunSchema.file.dependencies.map((file) => file.name)).toEqual([
      "google/api/annotations",
      "google/protobuf/timestamp",
    ]);
    expect(JobRunWatch.file.dependencies.map((file) => file.name)).toEqual([
      "google/api/annotations",
      "google/cloud/deploy/v1/jobrun",
    ]);
  });

  it("keep every option, read with the extension as before", () => {
    expect(getOption(CloudDeploy, default_host)).toBe("clouddeploy.googleapis.com");
    expect(getOption(CloudDeploy, oauth_scopes)).toBe("https://www.googleapis.com/auth/cloud-platform");
    expect(getOption(CloudDeploy.method.listJobRuns, method_signature)).toEqual(["parent"]);
    expect(getOption(CloudDeploy.method.terminateJobRun, method_signature)).toEqual(["name"]);
    expect(getOption(JobRunSchema.field.name!, field_behavior)).toEqual([FieldBehavior.OUTPUT_ONLY]);
    expect(getOption(ListJobRunsRequestSchema.field.parent!, field_behavior)).toEqual([
      FieldBehavior.REQUIRED,
    ]);
    expect(getOption(JobRunSchema, resource).type).toBe("clouddeploy.googleapis.com/JobRun");
    expect(getOption(WatchJobRunsRequestSchema.field.parent!, resource_reference).type).toBe(
      "clouddeploy.googleapis.com/Rollout",
    );
  });

  it("leave google.api.http, which the route table reads, declared and read", () => {
    expect(getOption(CloudDeploy.method.getJobRun, http).pattern).toEqual({
      case: "get",
      value: "/v1/{name=projects/*/locations/*/deliveryPipelines/*/releases/*/rollouts/*/jobRuns/*}",
    });
  });
});
