// @jobrun/core: the JobRun schema's types and everything the frontends share. Explicit exports only:
// what is not listed here is internal.

export { type CallSignal, callOptionsError, callSignal, raceAbort } from "./call-options.js";
export {
  type DecodeOptions,
  decodeJson,
  decodeJsonText,
  type EncodeOptions,
  type EnumEncoding,
  encodeJson,
} from "./codec/json-codec.js";
// JSON codec.
export { type ScalarJsonKind, scalarJsonKind, scalarTypeName } from "./codec/scalar.js";
export { GOOGLE_ENDPOINT, MAX_PAGE_SIZE, SERVICE_NAME } from "./constants.js";
// Domain helpers.
export { formatDuration, runDurationMs } from "./domain/duration.js";
export { explainFailureCause, type Failure, failureCauseNames, failureOf } from "./domain/failure.js";
export { type JobKind, jobKindLabel, jobKindOf, jobKinds } from "./domain/job-kind.js";
export { canTerminate, isActive, isTerminal, stateName } from "./domain/state.js";
// Errors.
export {
  ApiError,
  type ApiErrorJson,
  type ApiErrorOptions,
  type ErrorFormat,
  isApiError,
  type LegacyErrorEntry,
} from "./errors/api-error.js";
export {
  Code,
  type CodeName,
  type CodeNumber,
  codeFromHttpStatus,
  codeName,
  httpStatusFromCode,
  isCodeName,
} from "./errors/code.js";
export {
  BAD_REQUEST_TYPE,
  badRequest,
  ERROR_INFO_TYPE,
  type ErrorDetail,
  errorInfo,
  errorInfoOf,
  isErrorDetail,
  RESOURCE_INFO_TYPE,
  RETRY_INFO_TYPE,
  resourceInfo,
  retryInfo,
  SERVICE_ERROR_DOMAIN,
} from "./errors/details.js";
// Generated messages and enums (protobuf-es).
export {
  type AdvanceChildRolloutJobRun,
  type AdvanceChildRolloutJobRunJson,
  AdvanceChildRolloutJobRunSchema,
  CloudDeploy,
  type CloudRunMetadata,
  type CloudRunMetadataJson,
  CloudRunMetadataSchema,
  type CreateChildRolloutJobRun,
  type CreateChildRolloutJobRunJson,
  CreateChildRolloutJobRunSchema,
  type CustomMetadata,
  type CustomMetadataJson,
  CustomMetadataSchema,
  type CustomTargetDeployMetadata,
  type CustomTargetDeployMetadataJson,
  CustomTargetDeployMetadataSchema,
  type DeployArtifact,
  type DeployArtifactJson,
  DeployArtifactSchema,
  type DeployJobRun,
  DeployJobRun_FailureCause,
  type DeployJobRun_FailureCauseJson,
  DeployJobRun_FailureCauseSchema,
  type DeployJobRunJson,
  type DeployJobRunMetadata,
  type DeployJobRunMetadataJson,
  DeployJobRunMetadataSchema,
  DeployJobRunSchema,
  file_google_cloud_deploy_v1_jobrun,
  type GetJobRunRequest,
  type GetJobRunRequestJson,
  GetJobRunRequestSchema,
  type JobRun,
  JobRun_State,
  type JobRun_StateJson,
  JobRun_StateSchema,
  type JobRunJson,
  JobRunSchema,
  type ListJobRunsRequest,
  type ListJobRunsRequestJson,
  ListJobRunsRequestSchema,
  type ListJobRunsResponse,
  type ListJobRunsResponseJson,
  ListJobRunsResponseSchema,
  type PostdeployJobRun,
  PostdeployJobRun_FailureCause,
  type PostdeployJobRun_FailureCauseJson,
  PostdeployJobRun_FailureCauseSchema,
  type PostdeployJobRunJson,
  PostdeployJobRunSchema,
  type PredeployJobRun,
  PredeployJobRun_FailureCause,
  type PredeployJobRun_FailureCauseJson,
  PredeployJobRun_FailureCauseSchema,
  type PredeployJobRunJson,
  PredeployJobRunSchema,
  type TerminateJobRunRequest,
  type TerminateJobRunRequestJson,
  TerminateJobRunRequestSchema,
  type TerminateJobRunResponse,
  type TerminateJobRunResponseJson,
  TerminateJobRunResponseSchema,
  type VerifyJobRun,
  VerifyJobRun_FailureCause,
  type VerifyJobRun_FailureCauseJson,
  VerifyJobRun_FailureCauseSchema,
  type VerifyJobRunJson,
  VerifyJobRunSchema,
} from "./gen/google/cloud/deploy/v1/jobrun_pb.js";
// jobrun's own extension: the live watch (proto/jobrun/v1/watch.proto).
export {
  file_jobrun_v1_watch,
  JobRunWatch,
  type WatchJobRunsRequest,
  type WatchJobRunsRequestJson,
  WatchJobRunsRequestSchema,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  type WatchJobRunsResponse_TypeJson,
  WatchJobRunsResponse_TypeSchema,
  type WatchJobRunsResponseJson,
  WatchJobRunsResponseSchema,
} from "./gen/jobrun/v1/watch_pb.js";
export { listAllJobRuns } from "./list-all.js";
export { MAX_TIMER_DELAY_MS, setLongTimeout } from "./long-timeout.js";
export { type BuildNameParts, parseBuildName } from "./names/build-name.js";
// Resource names.
export {
  concretePrefixOf,
  deliveryPipelineOf,
  isNameUnder,
  JOB_RUN_COLLECTIONS,
  type NameCollection,
  nameHasWildcard,
  nameIds,
  parentPrefixes,
  parseNamePrefix,
  releaseOf,
  rolloutOf,
  variableOfCollection,
} from "./names/collections.js";
export {
  type DeployPolicyNameParts,
  deployPolicyName,
  parseDeployPolicyName,
} from "./names/deploy-policy-name.js";
export {
  isJobRunInParent,
  isJobRunName,
  isRolloutName,
  type JobRunNameParts,
  jobRunName,
  parseJobRunName,
  parseRolloutName,
  type RolloutNameParts,
  rolloutName,
  rolloutOfJobRun,
} from "./names/job-run-name.js";
export { hasWildcard, type ParseNameOptions } from "./names/resource-pattern.js";
export { MAX_SEGMENT_LENGTH, WILDCARD } from "./names/segment.js";
// REST surface.
export {
  type BuildOptions,
  buildHttpRequest,
  type HttpRequestParts,
  type RequestSchemaOf,
  routingHeader,
} from "./rest/build-http-request.js";
export { type PathTemplate, parsePathTemplate, type TemplateSegment } from "./rest/path-template.js";
export {
  type HttpMethod,
  type Route,
  type RouteTable,
  routeOf,
  routes,
  routeTable,
  watchRoutes,
} from "./rest/route-table.js";
export { type ImmediateAnswers, immediateAnswersOf, type ReadMethodName } from "./rpc/immediate-answers.js";
// The RPCs: names, types and policy, derived from the generated CloudDeploy service.
export {
  checkResourceName,
  type MethodPolicy,
  methodPolicies,
  policyOf,
  type ResourceField,
} from "./rpc/method-policy.js";
export type {
  AnyMethodName,
  AnyRpcName,
  CloudDeployMethods,
  InputSchemaOf,
  JobRunWatchMethods,
  MethodName,
  MethodNameOf,
  OutputSchemaOf,
  RequestFieldOf,
  RequestInitOf,
  RequestOf,
  ResponseOf,
  RpcName,
  SurfaceMethods,
  WatchMethodName,
} from "./rpc/methods.js";
export {
  type ForwardOptions,
  type RawAnswer,
  type RawForwarder,
  rawForwarderOf,
} from "./rpc/raw-forwarding.js";
export { isRole, ROLES, type Role, roleAllows } from "./rpc/roles.js";
export type {
  CallOptions,
  GetJobRunRequestInit,
  JobRunService,
  JobRunWatchService,
  ListJobRunsRequestInit,
  ServiceMethod,
  StreamingServiceMethod,
  TerminateJobRunRequestInit,
  WatchJobRunsRequestInit,
  WatchOptions,
} from "./service.js";
// Small utilities every package shares.
export { quote, truncate } from "./text/truncate.js";
export { type Clock, sleep, systemClock } from "./time/clock.js";
export { parseRfc3339, type TimestampParts, timestampPartsMs } from "./time/rfc3339.js";
export { AsyncQueue } from "./util/async-queue.js";
export { decodeBase64url, encodeBase64url } from "./util/base64url.js";
export { BoundedMap } from "./util/bounded-map.js";
export { constantTimeEqual } from "./util/constant-time-equal.js";
export { isLoopback } from "./util/is-loopback.js";
export { readStreamBounded } from "./util/read-bounded.js";
export { sameJobRunVersion, watchResponse } from "./watch/watch-response.js";
