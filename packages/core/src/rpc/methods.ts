// The RPCs of the JobRun surface, as types derived from the generated CloudDeploy service descriptor
// (the way connect-es derives `Client<Desc>` from a GenService). Nothing here lists a method by hand:
// a method added to the proto appears in every type below after `pnpm generate`.

import type { MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { CloudDeploy } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";

/** The generated method descriptors of the CloudDeploy service, by local name. */
export type CloudDeployMethods = (typeof CloudDeploy)["method"];

/** A method's local name, as JobRunService spells it: "getJobRun", "listJobRuns", "terminateJobRun". */
export type MethodName = keyof CloudDeployMethods & string;

/** A method's name in the proto (and in Google's REST docs and logs): "GetJobRun", … */
export type RpcName = Capitalize<MethodName>;

/** The local name of an RPC: "GetJobRun" → "getJobRun". */
export type MethodNameOf<R extends RpcName> = Uncapitalize<R> & MethodName;

/** The request message schema of a method. */
export type InputSchemaOf<M extends MethodName> = CloudDeployMethods[M]["input"];

/** The response message schema of a method. */
export type OutputSchemaOf<M extends MethodName> = CloudDeployMethods[M]["output"];

/** A method's request as a plain object (what JobRunService methods take). */
export type RequestInitOf<M extends MethodName> = MessageInitShape<InputSchemaOf<M>>;

/** A method's request message. */
export type RequestOf<M extends MethodName> = MessageShape<InputSchemaOf<M>>;

/** A method's response message. */
export type ResponseOf<M extends MethodName> = MessageShape<OutputSchemaOf<M>>;

/** The field names of a method's request message (for the policy table's resource field). */
export type RequestFieldOf<M extends MethodName> = M extends MethodName
  ? Exclude<keyof RequestOf<M>, "$typeName" | "$unknown"> & string
  : never;
