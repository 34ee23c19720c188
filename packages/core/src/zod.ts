// @jobrun/core/zod: zod schemas of the proto3 JSON form of every message, generated from the schema by
// tools/protoc-gen-zod. A separate entry so that the main entry never pulls zod in.

export {
  AdvanceChildRolloutJobRunJsonSchema,
  CloudRunMetadataJsonSchema,
  CreateChildRolloutJobRunJsonSchema,
  CustomMetadataJsonSchema,
  CustomTargetDeployMetadataJsonSchema,
  DeployArtifactJsonSchema,
  DeployJobRun_FailureCauseJsonSchema,
  DeployJobRunJsonSchema,
  DeployJobRunMetadataJsonSchema,
  GetJobRunRequestJsonSchema,
  JobRun_StateJsonSchema,
  JobRunJsonSchema,
  ListJobRunsRequestJsonSchema,
  ListJobRunsResponseJsonSchema,
  PostdeployJobRun_FailureCauseJsonSchema,
  PostdeployJobRunJsonSchema,
  PredeployJobRun_FailureCauseJsonSchema,
  PredeployJobRunJsonSchema,
  TerminateJobRunRequestJsonSchema,
  TerminateJobRunResponseJsonSchema,
  TimestampJsonSchema,
  VerifyJobRun_FailureCauseJsonSchema,
  VerifyJobRunJsonSchema,
} from "./gen/google/cloud/deploy/v1/jobrun_zod.js";
export {
  WatchJobRunsRequestJsonSchema,
  WatchJobRunsResponse_TypeJsonSchema,
  WatchJobRunsResponseJsonSchema,
} from "./gen/jobrun/v1/watch_zod.js";
