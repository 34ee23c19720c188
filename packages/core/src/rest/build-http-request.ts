import { create, type DescField, type MessageInitShape, type MessageShape, toJson } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import type { EnumEncoding } from "../codec/json-codec.js";
import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { checkResourceName } from "../rpc/method-policy.js";
import type { AnyMethodName, AnyRpcName, InputSchemaOf, MethodNameOf } from "../rpc/methods.js";
import { quote } from "../text/truncate.js";
import type { TemplateSegment } from "./path-template.js";
import { type HttpMethod, type Route, routeOf } from "./route-table.js";

/** A REST request, ready for fetch: `${endpoint}${path}${query ? "?" + query : ""}`. */
export interface HttpRequestParts {
  readonly method: HttpMethod;
  /** The percent-encoded path, e.g. `/v1/projects/p/…/jobRuns/abc:terminate`. */
  readonly path: string;
  /** The encoded query string without "?", or "". */
  readonly query: string;
  /** The JSON body, or undefined when the route has none. */
  readonly body: string | undefined;
  /** The path variables (e.g. `name`), for the `x-goog-request-params` routing header. */
  readonly params: Readonly<Record<string, string>>;
}

export interface BuildOptions {
  /** Ask for enums as numbers (`$alt=json;enum-encoding=int`), as Google's generated clients do. */
  readonly enumEncoding?: EnumEncoding;
}

/** The request message schema of an RPC, by its proto name. */
export type RequestSchemaOf<R extends AnyRpcName> = InputSchemaOf<MethodNameOf<R>>;

/**
 * Builds the REST request of an RPC (unary, or the watch) from its route. Every path variable is checked against its
 * pattern (`projects/*\/locations/*…`) and each segment percent-encoded on its own, so no value can
 * escape its segment; the field that names the method's resource is then checked with the same rules
 * as parseJobRunName / parseRolloutName (the policy table says which). A value that does not fit is
 * an INVALID_ARGUMENT ApiError naming the field, before anything is sent.
 * Fields outside the path go in the body (`body: "*"`) or, for GET, in the query by JSON name.
 */
export function buildHttpRequest<R extends AnyRpcName>(
  rpc: R,
  request: MessageInitShape<RequestSchemaOf<R>> | MessageShape<RequestSchemaOf<R>>,
  options: BuildOptions = {},
): HttpRequestParts {
  const route = routeOf(rpc);
  const message = create(route.input, request as never);
  const fields = reflect(route.input, message);
  const params: Record<string, string> = {};
  const pathParts: string[] = [];
  const pathFields = new Set<DescField>();
  for (const segment of route.template.segments) {
    if (segment.kind === "literal") {
      pathParts.push(segment.value);
      continue;
    }
    const field = route.input.fields.find((f) => f.name === segment.field);
    if (field === undefined || field.fieldKind !== "scalar") {
      throw new Error(`${route.rpc}: path variable ${segment.field} is not a scalar field`);
    }
    pathFields.add(field);
    const value = String(fields.get(field));
    pathParts.push(...encodeVariable(route, segment, field, value));
    if (field.name === route.policy.resource.field) checkResourceName(route.policy.resource, value);
    params[field.jsonName] = value;
  }
  let path = `/${pathParts.join("/")}`;
  if (route.template.verb !== "") path += `:${route.template.verb}`;

  const query = new URLSearchParams();
  let body: string | undefined;
  const rest = toJson(route.input, message, { enumAsInteger: options.enumEncoding === "int" }) as Record<
    string,
    unknown
  >;
  for (const field of pathFields) delete rest[field.jsonName];
  if (route.body === "*") {
    body = JSON.stringify(rest);
  } else {
    for (const [key, value] of Object.entries(rest)) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
    }
  }
  if (options.enumEncoding === "int") query.append("$alt", "json;enum-encoding=int");
  return { method: route.method, path, query: query.toString(), body, params };
}

function encodeVariable(
  route: Route<AnyMethodName>,
  segment: Extract<TemplateSegment, { kind: "variable" }>,
  field: DescField,
  value: string,
): string[] {
  const fail = (reason: string) => {
    const message = `${route.rpc}: ${field.jsonName} ${quote(value, 200)} ${reason}`;
    return new ApiError("INVALID_ARGUMENT", message, {
      details: [badRequest(field.jsonName, reason)],
      reason: "INVALID_REQUEST_FIELD",
    });
  };
  const parts = value.split("/");
  if (parts.length !== segment.pattern.length) {
    throw fail(`does not match ${segment.pattern.join("/")}`);
  }
  return parts.map((part, i) => {
    const expected = segment.pattern[i]!;
    if (expected !== "*") {
      if (part !== expected)
        throw fail(`does not match ${segment.pattern.join("/")}: segment ${i + 1} must be "${expected}"`);
      return part;
    }
    if (part === "") throw fail(`has an empty segment ${i + 1}`);
    if (part === "." || part === "..") throw fail(`has a dot segment ${i + 1}`);
    return encodeURIComponent(part);
  });
}

/** The `x-goog-request-params` routing header Google's clients send: `name=…` or `parent=…`, URL-encoded. */
export function routingHeader(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join("&");
}
