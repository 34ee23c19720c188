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

/** The ErrorInfo domain of errors the Cloud Deploy service itself raises (and the emulator, in its place). */
export const SERVICE_ERROR_DOMAIN = SERVICE_NAME;

/**
 * google.rpc.ErrorInfo, which AIP-193 asks every error to carry: a machine-readable `reason`
 * (UPPER_SNAKE_CASE, unique within its domain), the `domain` that raised it (Cloud Deploy's service
 * name by default), and `metadata` such as the resource concerned. gax exposes them as `err.reason`,
 * `err.domain` and `err.errorInfoMetadata`.
 */
export function errorInfo(
  reason: string,
  metadata: Readonly<Record<string, string>> = {},
  domain: string = SERVICE_ERROR_DOMAIN,
): ErrorDetail {
  if (!ERROR_REASON.test(reason)) {
    throw new Error(
      `ErrorInfo reason ${JSON.stringify(reason)} is not UPPER_SNAKE_CASE of at most 63 characters`,
    );
  }
  return { "@type": ERROR_INFO_TYPE, reason, domain, metadata: { ...metadata } };
}

/** AIP-193's form of a reason: `[A-Z][A-Z0-9_]+[A-Z0-9]`, at most 63 characters. */
const ERROR_REASON = /^[A-Z][A-Z0-9_]{0,61}[A-Z0-9]$/;

/** The ErrorInfo among an error's details, if it has one. */
export function errorInfoOf(details: readonly ErrorDetail[]): ErrorDetail | undefined {
  return details.find((detail) => detail["@type"] === ERROR_INFO_TYPE);
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
