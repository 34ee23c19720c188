// Google's system parameters: query parameters every method of a Google REST API takes beside its own
// request fields (from the discovery document's `parameters`). They shape the answer (enum encoding,
// partial response, pretty printing, error format, wire format) or carry credentials and quota
// attribution. Each may also be written with a leading `$` (`$fields`, `$alt`), as Google accepts.

import type { EnumEncoding } from "../codec/json-codec.js";
import { ApiError } from "../errors/api-error.js";
import { badRequest } from "../errors/details.js";
import { quote } from "../text/truncate.js";
import { type FieldSelection, parseFieldSelection } from "./field-selection.js";

/** The system parameters by their plain names, as the discovery document lists them. */
const SYSTEM_PARAMETER_NAMES = [
  "$.xgafv",
  "access_token",
  "alt",
  "callback",
  "fields",
  "key",
  "oauth_token",
  "prettyPrint",
  "quotaUser",
  "upload_protocol",
  "uploadType",
] as const;

/** A system parameter's plain name. */
export type SystemParameterName = (typeof SYSTEM_PARAMETER_NAMES)[number];

/**
 * Every query parameter name that is a system parameter rather than a request field: the plain names
 * and their `$` spellings.
 */
export const SYSTEM_QUERY_PARAMETERS: ReadonlySet<string> = new Set(
  SYSTEM_PARAMETER_NAMES.flatMap((name) => (name.startsWith("$") ? [name] : [name, `$${name}`])),
);

/** The plain name of a system parameter given under either spelling; undefined for any other name. */
export function systemParameterName(queryName: string): SystemParameterName | undefined {
  if (!SYSTEM_QUERY_PARAMETERS.has(queryName)) return undefined;
  return (
    queryName.startsWith("$") && queryName !== "$.xgafv" ? queryName.slice(1) : queryName
  ) as SystemParameterName;
}

/** The wire format `alt` asks for. `media` is for downloads, which no JobRun method has. */
export type AltFormat = "json" | "proto" | "media";

/** What a request's system parameters ask for. */
export interface SystemParameters {
  /** `alt`: JSON (default) or binary protobuf (`application/x-protobuf`). */
  readonly alt: AltFormat;
  /** `$alt=json;enum-encoding=int`: enums as numbers. Default names. */
  readonly enumEncoding: EnumEncoding;
  /** `fields`: only these parts of the answer (a partial response); undefined for all of it. */
  readonly fields: FieldSelection | undefined;
  /** `prettyPrint`: indented JSON. Google's default is true. */
  readonly prettyPrint: boolean;
  /** `$.xgafv`: the error format asked for, "1" or "2"; undefined when not given. */
  readonly errorFormat: "1" | "2" | undefined;
  /** `quotaUser`: whom to count the call against, within the project's quota. */
  readonly quotaUser: string | undefined;
  /** Credential-carrying parameters that were given (`key`, `access_token`, `oauth_token`), by plain name. */
  readonly credentials: readonly ("key" | "access_token" | "oauth_token")[];
  /** `callback`, when given: a JSONP callback name. */
  readonly callback: string | undefined;
  /**
   * The parameters that shape the answer (`alt`, `fields`, `prettyPrint`, `$.xgafv`, `quotaUser`),
   * as given: what a proxy forwards to a server that applies them itself.
   */
  readonly forwarded: readonly (readonly [string, string])[];
}

/** The answer shape of a request without a query: the whole answer, JSON, names, indented. */
export const DEFAULT_SYSTEM_PARAMETERS: SystemParameters = Object.freeze({
  alt: "json",
  enumEncoding: "name",
  fields: undefined,
  prettyPrint: true,
  errorFormat: undefined,
  quotaUser: undefined,
  credentials: Object.freeze([]) as readonly never[],
  callback: undefined,
  forwarded: Object.freeze([]) as readonly never[],
});

const FORWARDED: ReadonlySet<SystemParameterName> = new Set([
  "alt",
  "fields",
  "prettyPrint",
  "$.xgafv",
  "quotaUser",
]);

function invalid(name: string, reason: string): ApiError {
  return new ApiError("INVALID_ARGUMENT", `system parameter ${name} ${reason}`, {
    details: [badRequest(name, reason)],
    reason: "INVALID_SYSTEM_PARAMETER",
  });
}

/**
 * Reads the system parameters of a query (request fields in it are left alone: parseHttpRequest
 * reads those). A value Google would refuse (`prettyPrint=maybe`, `alt=xml`, `$.xgafv=3`, a `fields`
 * that does not parse) or a parameter given under both spellings is an INVALID_ARGUMENT naming it.
 */
export function readSystemParameters(query: URLSearchParams): SystemParameters {
  let alt: AltFormat = "json";
  let enumEncoding: EnumEncoding = "name";
  let fields: FieldSelection | undefined;
  let prettyPrint = true;
  let errorFormat: "1" | "2" | undefined;
  let quotaUser: string | undefined;
  let callback: string | undefined;
  const credentials: ("key" | "access_token" | "oauth_token")[] = [];
  const forwarded: (readonly [string, string])[] = [];
  const seen = new Set<SystemParameterName>();
  for (const [key, value] of query) {
    const name = systemParameterName(key);
    if (name === undefined) continue;
    if (seen.has(name)) throw invalid(name, "is given more than once");
    seen.add(name);
    if (FORWARDED.has(name)) forwarded.push([key, value]);
    switch (name) {
      case "alt": {
        // `json;enum-encoding=int`: a format, then options.
        const [format = "", ...options] = value.split(";").map((part) => part.trim().toLowerCase());
        if (format !== "json" && format !== "proto" && format !== "media") {
          throw invalid(name, `must be json, proto or media, not ${quote(value, 40)}`);
        }
        alt = format;
        if (options.includes("enum-encoding=int")) enumEncoding = "int";
        break;
      }
      case "fields":
        fields = value === "" ? undefined : parseFieldSelection(value);
        break;
      case "prettyPrint": {
        const flag = value.toLowerCase();
        if (flag !== "true" && flag !== "false" && flag !== "1" && flag !== "0") {
          throw invalid(name, `must be true or false, not ${quote(value, 40)}`);
        }
        prettyPrint = flag === "true" || flag === "1";
        break;
      }
      case "$.xgafv":
        if (value !== "1" && value !== "2") throw invalid(name, `must be 1 or 2, not ${quote(value, 40)}`);
        errorFormat = value;
        break;
      case "quotaUser":
        quotaUser = value;
        break;
      case "callback":
        callback = value;
        break;
      case "key":
      case "access_token":
      case "oauth_token":
        credentials.push(name);
        break;
      case "upload_protocol":
      case "uploadType":
        // Upload protocols concern media uploads; no JobRun method takes one, so they change nothing.
        break;
    }
  }
  return { alt, enumEncoding, fields, prettyPrint, errorFormat, quotaUser, credentials, callback, forwarded };
}
