// Typed builders for the google.rpc error details jobrun produces. On the wire a detail is the
// proto3 JSON of a google.protobuf.Any: an object with "@type" and the message's fields.

import { SERVICE_NAME } from "../constants.js";

/** One google.rpc error detail in its JSON form. */
export interface ErrorDetail {
  readonly "@type": string;
  readonly [field: string]: unknown;
}

export const BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";
export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
export const RESOURCE_INFO_TYPE = "type.googleapis.com/google.rpc.ResourceInfo";
export const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

/** google.rpc.BadRequest with one violation: which field (a path such as `jobRuns[2].state`) and why. */
export function badRequest(field: string, description: string): ErrorDetail {
  return { "@type": BAD_REQUEST_TYPE, fieldViolations: [{ field, description }] };
}

/** google.rpc.ErrorInfo: a machine-readable reason, as AIP-193 asks for. */
export function errorInfo(reason: string, metadata: Readonly<Record<string, string>> = {}): ErrorDetail {
  return {
    "@type": ERROR_INFO_TYPE,
    reason,
    domain: SERVICE_NAME,
    metadata: { ...metadata },
  };
}

/** google.rpc.ResourceInfo naming the resource an error is about. */
export function resourceInfo(resourceName: string, description = ""): ErrorDetail {
  return {
    "@type": RESOURCE_INFO_TYPE,
    resourceType: `${SERVICE_NAME}/JobRun`,
    resourceName,
    ...(description === "" ? {} : { description }),
  };
}

/** google.rpc.RetryInfo: how long to wait before trying again. */
export function retryInfo(delayMs: number): ErrorDetail {
  const seconds = Math.max(0, delayMs) / 1000;
  return { "@type": RETRY_INFO_TYPE, retryDelay: `${seconds.toFixed(3).replace(/\.?0+$/, "")}s` };
}

/** Whether a JSON value looks like an error detail (an object with a string "@type"). */
export function isErrorDetail(value: unknown): value is ErrorDetail {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { "@type"?: unknown })["@type"] === "string"
  );
}
