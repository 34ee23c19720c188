// The RPCs of the JobRun surface, as types derived from the generated service descriptors (the way
// connect-es derives `Client<Desc>` from a GenService). Nothing here lists a method by hand: a method
// added to the proto appears in every type below after `pnpm generate`.
//
// Two services make the surface: Google's CloudDeploy (the unary get, list and terminate that every
// JobRunService implements) and jobrun's own JobRunWatch (the server-streaming watch, which only
// jobrun's servers offer). `MethodName` stays the unary methods, so JobRunService and everything
// keyed by it are unchanged; `AnyMethodName` spans both.

import type { MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { CloudDeploy } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import type { JobRunWatch } from "../gen/jobrun/v1/watch_pb.js";

/** The generated method descriptors of the CloudDeploy service, by local name. */
export type CloudDeployMethods = (typeof CloudDeploy)["method"];

/** The generated method descriptors of jobrun's JobRunWatch service, by local name. */
export type JobRunWatchMethods = (typeof JobRunWatch)["method"];

/** Every method of the surface, unary and streaming, by local name. */
export type SurfaceMethods = CloudDeployMethods & JobRunWatchMethods;

/** A unary method's local name, as JobRunService spells it: "getJobRun", "listJobRuns", "terminateJobRun". */
export type MethodName = keyof CloudDeployMethods & string;

/** A streaming method's local name, as JobRunWatchService spells it: "watchJobRuns". */
export type WatchMethodName = keyof JobRunWatchMethods & string;

/** Any method's local name, unary or streaming. */
export type AnyMethodName = MethodName | WatchMethodName;

/** A unary method's name in the proto (and in Google's REST docs and logs): "GetJobRun", … */
export type RpcName = Capitalize<MethodName>;

/** Any method's name in the proto: the unary ones and "WatchJobRuns". */
export type AnyRpcName = Capitalize<AnyMethodName>;

/** The local name of an RPC: "GetJobRun" → "getJobRun". */
export type MethodNameOf<R extends AnyRpcName> = Uncapitalize<R> & AnyMethodName;

/** The request message schema of a method. */
export type InputSchemaOf<M extends AnyMethodName> = SurfaceMethods[M]["input"];

/** The response message schema of a method (of each streamed response, for a streaming one). */
export type OutputSchemaOf<M extends AnyMethodName> = SurfaceMethods[M]["output"];

/** A method's request as a plain object (what JobRunService methods take). */
export type RequestInitOf<M extends AnyMethodName> = MessageInitShape<InputSchemaOf<M>>;

/** A method's request message. */
export type RequestOf<M extends AnyMethodName> = MessageShape<InputSchemaOf<M>>;

/** A method's response message. */
export type ResponseOf<M extends AnyMethodName> = MessageShape<OutputSchemaOf<M>>;

/** The field names of a method's request message (for the policy table's resource field). */
export type RequestFieldOf<M extends AnyMethodName> = M extends AnyMethodName
  ? Exclude<keyof RequestOf<M>, "$typeName" | "$unknown"> & string
  : never;
