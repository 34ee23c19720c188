import { type DescMethod, getOption } from "@bufbuild/protobuf";
import { http } from "../gen/google/api/annotations_pb.js";
import { CloudDeploy } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import { JobRunWatch } from "../gen/jobrun/v1/watch_pb.js";
import { type MethodPolicy, methodPolicies } from "../rpc/method-policy.js";
import type {
  AnyMethodName,
  AnyRpcName,
  InputSchemaOf,
  MethodName,
  MethodNameOf,
  OutputSchemaOf,
  WatchMethodName,
} from "../rpc/methods.js";
import { type PathTemplate, parsePathTemplate } from "./path-template.js";

export type { AnyMethodName, AnyRpcName, MethodName, RpcName, WatchMethodName } from "../rpc/methods.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One RPC's REST binding, read from its `google.api.http` option, with its policy. `Route` alone is
 * a unary method's (what JobRunService serves); `Route<WatchMethodName>` a streaming one's.
 */
export interface Route<M extends AnyMethodName = MethodName> {
  /** The RPC's proto name: "GetJobRun". */
  readonly rpc: Capitalize<M>;
  /** The method's local name, as JobRunService (or JobRunWatchService) spells it: "getJobRun". */
  readonly methodName: M;
  /** The HTTP method of the binding. */
  readonly method: HttpMethod;
  readonly template: PathTemplate;
  /** The `body` of the rule: "*" for the whole request minus path fields, "" for none. */
  readonly body: string;
  readonly input: InputSchemaOf<M>;
  readonly output: OutputSchemaOf<M>;
  readonly descriptor: DescMethod;
  /** The method's row of the policy table. */
  readonly policy: MethodPolicy<M>;
}

/** Every unary route, by method local name. */
export type RouteTable = { readonly [M in MethodName]: Route<M> };

function readRoute(method: DescMethod): Route<AnyMethodName> {
  const rule = getOption(method, http);
  const { pattern } = rule;
  if (pattern.case === undefined || pattern.case === "custom") {
    throw new Error(`${method.toString()} has no supported google.api.http binding`);
  }
  const methodName = method.localName as AnyMethodName;
  // RpcName is typed as the capitalised local name; a proto name that breaks that (an underscore,
  // say) would make the types lie, so it is refused here, when the table is built.
  if (method.name !== `${methodName.charAt(0).toUpperCase()}${methodName.slice(1)}`) {
    throw new Error(`${method.toString()}: the local name ${methodName} is not the RPC name uncapitalised`);
  }
  const policy: MethodPolicy | undefined = (methodPolicies as Partial<Record<string, MethodPolicy>>)[
    methodName
  ];
  if (policy === undefined) throw new Error(`${method.toString()} has no row in the method policy table`);
  // The flag the frontends branch on must say what the schema says: a stream served as one answer
  // (or the reverse) would be a silent protocol break.
  const streaming = method.methodKind === "server_streaming";
  if (method.methodKind !== "unary" && !streaming) {
    throw new Error(`${method.toString()}: ${method.methodKind} methods are not supported`);
  }
  if (policy.streaming !== streaming) {
    throw new Error(`${method.toString()}: the policy table's streaming flag disagrees with the schema`);
  }
  return {
    rpc: method.name as AnyRpcName,
    methodName,
    method: pattern.case.toUpperCase() as HttpMethod,
    template: parsePathTemplate(pattern.value),
    body: rule.body,
    input: method.input,
    output: method.output,
    descriptor: method,
    policy,
  } as Route<AnyMethodName>;
}

/**
 * The REST route table of the CloudDeploy service (the unary methods), read once from the schema's
 * http options, in the schema's order: the client builds requests from it and the proxy matches
 * requests with it.
 */
export const routes: readonly Route[] = CloudDeploy.methods.map(readRoute) as readonly Route[];

/**
 * The routes of jobrun's JobRunWatch service (the streaming methods: the watch), read the same way.
 * Kept apart from `routes` so that everything serving JobRunService keeps to the unary methods; pass
 * it to matchRoute to match a watch request.
 */
export const watchRoutes: readonly Route<WatchMethodName>[] = JobRunWatch.methods.map(
  readRoute,
) as readonly Route<WatchMethodName>[];

/** The routes by method local name: `routeTable.getJobRun`. */
export const routeTable: RouteTable = Object.fromEntries(
  routes.map((route) => [route.methodName, route]),
) as unknown as RouteTable;

const routesByRpc = new Map<string, Route<AnyMethodName>>(
  [...routes, ...watchRoutes].map((route) => [route.rpc, route]),
);

/** The route of one RPC, unary or streaming, by its proto name ("GetJobRun", "WatchJobRuns"). */
export function routeOf<R extends AnyRpcName>(rpc: R): Route<MethodNameOf<R>> {
  const route = routesByRpc.get(rpc);
  if (route === undefined) throw new Error(`no route for RPC ${rpc}`);
  return route as Route<MethodNameOf<R>>;
}
