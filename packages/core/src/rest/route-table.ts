import { type DescMessage, type DescMethod, getOption } from "@bufbuild/protobuf";
import { http } from "../gen/google/api/annotations_pb.js";
import { CloudDeploy } from "../gen/google/cloud/deploy/v1/jobrun_pb.js";
import { type PathTemplate, parsePathTemplate } from "./path-template.js";

/** The RPCs of the JobRun surface. */
export type RpcName = "GetJobRun" | "ListJobRuns" | "TerminateJobRun";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One RPC's REST binding, read from its `google.api.http` option. */
export interface Route {
  readonly rpc: RpcName;
  readonly method: HttpMethod;
  readonly template: PathTemplate;
  /** The `body` of the rule: "*" for the whole request minus path fields, "" for none. */
  readonly body: string;
  readonly input: DescMessage;
  readonly output: DescMessage;
  readonly descriptor: DescMethod;
}

function readRoute(method: DescMethod): Route {
  const rule = getOption(method, http);
  const { pattern } = rule;
  if (pattern.case === undefined || pattern.case === "custom") {
    throw new Error(`${method.toString()} has no supported google.api.http binding`);
  }
  return {
    rpc: method.name as RpcName,
    method: pattern.case.toUpperCase() as HttpMethod,
    template: parsePathTemplate(pattern.value),
    body: rule.body,
    input: method.input,
    output: method.output,
    descriptor: method,
  };
}

/**
 * The REST route table of the CloudDeploy service, read once from the schema's http options: the
 * client builds requests from it and the proxy matches requests with it.
 */
export const routes: readonly Route[] = CloudDeploy.methods.map(readRoute);

const routesByRpc = new Map(routes.map((route) => [route.rpc, route]));

/** The route of one RPC. */
export function routeOf(rpc: RpcName): Route {
  const route = routesByRpc.get(rpc);
  if (route === undefined) throw new Error(`no route for RPC ${rpc}`);
  return route;
}
