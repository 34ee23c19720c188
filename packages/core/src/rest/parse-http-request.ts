// The server's half of the REST mapping: a matched route's path variables, query and body back into
// the request message, the inverse of buildHttpRequest. Which fields come from where is read from
// the route (its template and `body`), never listed per method.

import { create, type DescField, type MessageShape } from "@bufbuild/protobuf";
import { decodeJson, decodeJsonText } from "../codec/json-codec.js";
import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { checkResourceName } from "../rpc/method-policy.js";
import type { AnyMethodName, InputSchemaOf } from "../rpc/methods.js";
import { quote, truncate } from "../text/truncate.js";
import type { Route } from "./route-table.js";
import { SYSTEM_QUERY_PARAMETERS } from "./system-parameters.js";

export interface ParseHttpRequestOptions {
  /**
   * The resource name in `params` has already been checked (the proxy checks it once per distinct
   * path and remembers the match), so it is not parsed again. Default false.
   */
  readonly paramsChecked?: boolean;
}

/**
 * Reads a REST request back into its request message:
 * - `params`, the decoded path variables of `matchRoute`, are the path fields; the field that names
 *   the method's resource is checked with the name rules (as buildHttpRequest does);
 * - for a route without a body, each other field may be given once in the query, by its JSON or its
 *   proto name (`pageSize` or `page_size`, as Google accepts); Google's system parameters (readSystemParameters reads them) are skipped;
 * - for a route with `body: "*"`, `body` is the JSON text of the rest of the message ("" or
 *   `undefined` for none); a path field repeated in the body must equal the path's.
 * An unknown or repeated query parameter, a body that is not the message's JSON, or a name that
 * breaks the rules is an INVALID_ARGUMENT ApiError that names it.
 */
export function parseHttpRequest<M extends AnyMethodName>(
  route: Route<M>,
  params: Readonly<Record<string, string>>,
  query: URLSearchParams,
  body: string | undefined,
  options: ParseHttpRequestOptions = {},
): MessageShape<InputSchemaOf<M>> {
  const input = route.input;
  const resource = route.policy.resource;
  if (options.paramsChecked !== true) {
    const name = params[resource.field];
    if (name !== undefined) checkResourceName(resource, name);
  }
  const pathFields = pathFieldsOf(route);
  const queryFields =
    route.body === "*" ? readQuery(query, undefined) : readQuery(query, queryFieldsOf(route));
  let message: MessageShape<InputSchemaOf<M>>;
  if (route.body === "*" && body !== undefined && body.trim() !== "") {
    message = decodeJsonText(input, body);
  } else if (queryFields === undefined) {
    // The common case (a get, a list without parameters): no JSON to read, only strings to place.
    message = create(input);
  } else {
    message = decodeJson(input, queryFields);
  }
  const fields = message as unknown as Record<string, unknown>;
  for (const field of pathFields) {
    const value = params[field.name] ?? "";
    const given = fields[field.localName];
    if (given !== undefined && given !== "" && given !== value) {
      const reason = `the body's ${field.name} differs from the ${field.name} in the URL path`;
      throw new ApiError("INVALID_ARGUMENT", reason, {
        details: [badRequest(field.jsonName, reason)],
        reason: "INVALID_REQUEST_FIELD",
      });
    }
    fields[field.localName] = value;
  }
  return message;
}

const pathFieldsMemo = new WeakMap<Route<AnyMethodName>, readonly DescField[]>();

/** The request fields bound to the route's path variables. */
function pathFieldsOf(route: Route<AnyMethodName>): readonly DescField[] {
  let fields = pathFieldsMemo.get(route);
  if (fields === undefined) {
    fields = route.template.segments.flatMap((segment) => {
      if (segment.kind !== "variable") return [];
      const field = route.input.fields.find((f) => f.name === segment.field);
      if (field === undefined || field.fieldKind !== "scalar") {
        throw new Error(`${route.rpc}: path variable ${segment.field} is not a scalar field`);
      }
      return [field];
    });
    pathFieldsMemo.set(route, fields);
  }
  return fields;
}

const queryFieldsMemo = new WeakMap<Route<AnyMethodName>, ReadonlyMap<string, DescField>>();

/** The fields a route without a body takes in its query, by JSON name and by proto name. */
function queryFieldsOf(route: Route<AnyMethodName>): ReadonlyMap<string, DescField> {
  let fields = queryFieldsMemo.get(route);
  if (fields === undefined) {
    const inPath = new Set(pathFieldsOf(route));
    const map = new Map<string, DescField>();
    for (const field of route.input.fields) {
      // Only single scalar and enum values fit a query parameter.
      if (inPath.has(field) || (field.fieldKind !== "scalar" && field.fieldKind !== "enum")) continue;
      map.set(field.jsonName, field);
      map.set(field.name, field);
    }
    fields = map;
    queryFieldsMemo.set(route, fields);
  }
  return fields;
}

/**
 * The query's request fields as proto3 JSON (`{ pageSize: "25" }`), or `undefined` when it has none.
 * Unknown or repeated parameters are refused, as Google's endpoint does, instead of being ignored.
 */
function readQuery(
  query: URLSearchParams,
  allowed: ReadonlyMap<string, DescField> | undefined,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  let seen: Set<string> | undefined;
  for (const [key, value] of query) {
    seen ??= new Set();
    if (seen.has(key)) throw badQuery(key, "is given more than once");
    seen.add(key);
    if (SYSTEM_QUERY_PARAMETERS.has(key)) continue;
    const field = allowed?.get(key);
    if (field === undefined) throw badQuery(key, "is not a parameter of this method");
    out ??= {};
    if (field.jsonName in out) throw badQuery(key, `repeats ${field.jsonName}`);
    out[field.jsonName] = value;
  }
  return out;
}

function badQuery(key: string, reason: string): ApiError {
  const message = `query parameter ${quote(key, 61)} ${reason}`;
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest(truncate(key, 61), message)],
    reason: "UNKNOWN_QUERY_PARAMETER",
  });
}
