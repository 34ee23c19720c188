// An optional capability beside the JobRunService contract: forwarding one RPC upstream and handing
// back the upstream's answer as bytes. A proxy in front of Google uses it so that what Google sends
// reaches the caller unchanged in content: fields and enum values newer than this schema, enums in
// the encoding the caller asked for, error details Google chose. Decoding into the generated messages
// and encoding again would drop all of those.

import type { CallOptions, JobRunService } from "../service.js";
import type { MethodName, RequestInitOf } from "./methods.js";

/** An upstream answer, as received. */
export interface RawAnswer {
  /** The HTTP status: a 2xx, or an error status whose body is a google.rpc.Status. */
  readonly status: number;
  /** The upstream's Content-Type (JSON, or `application/x-protobuf` for `alt=proto`). */
  readonly contentType: string;
  /** The body's bytes. */
  readonly body: Uint8Array<ArrayBuffer>;
  /** The upstream's Retry-After, if it sent one with an error. */
  readonly retryAfter?: string;
}

export interface ForwardOptions extends CallOptions {
  /**
   * Google's system parameters to send upstream as given (`$alt`, `fields`, `prettyPrint`,
   * `$.xgafv`, `quotaUser`): they shape the answer, and the upstream applies them itself.
   */
  readonly systemParameters?: readonly (readonly [string, string])[];
}

/**
 * A backend that can forward an RPC as is. `forwardRaw` resolves with the upstream's answer when
 * there is one to hand on (a success, or an error in google.rpc.Status form), and rejects with an
 * ApiError when there is none: the upstream could not be reached or did not answer in time, its
 * answer was not a Status, or it refused the backend's own credentials (which is the backend's
 * problem, not the caller's).
 */
export interface RawForwarder {
  forwardRaw<M extends MethodName>(
    method: M,
    request: RequestInitOf<M>,
    options?: ForwardOptions,
  ): Promise<RawAnswer>;
}

/** The raw forwarding capability of a backend, if it has one. */
export function rawForwarderOf(service: JobRunService): RawForwarder | undefined {
  const candidate = service as Partial<RawForwarder>;
  return typeof candidate.forwardRaw === "function" ? (service as JobRunService & RawForwarder) : undefined;
}
