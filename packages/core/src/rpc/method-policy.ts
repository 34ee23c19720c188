// One row per RPC of what each frontend must decide about it: who may call it, whether a failed call
// may be repeated, which request field names the resource it acts on, whether its answer may be
// cached. The client's retries and the proxy's authorization and caching read this table; typed by
// the method names of the generated service, so a method added to the proto that has no row here
// fails `pnpm typecheck` instead of reaching a frontend undecided.

import { parseJobRunName, parseRolloutName } from "../names/job-run-name.js";
import type { AnyMethodName, RequestFieldOf } from "./methods.js";
import type { Role } from "./roles.js";

/** The request field that names the resource a method acts on, and what kind of name it holds. */
export interface ResourceField<M extends AnyMethodName = AnyMethodName> {
  /** The field, by its proto name, which is also its JSON name here: "name", "parent". */
  readonly field: RequestFieldOf<M>;
  /** The resource it names: a JobRun, or a Rollout (the parent of a List). */
  readonly kind: "JobRun" | "Rollout";
  /** Whether AIP-159 `-` wildcards may stand in it (a List parent's non-project segments). */
  readonly wildcards: boolean;
}

/** What every frontend must know about one method. */
export interface MethodPolicy<M extends AnyMethodName = AnyMethodName> {
  /** The weakest role that may call it. */
  readonly role: Role;
  /**
   * Whether calling it twice is the same as calling it once. Only idempotent methods are retried
   * (Google's own retry policy never retries TerminateJobRun).
   */
  readonly idempotent: boolean;
  /** The field that names the resource: what is validated, authorized against scopes, and logged. */
  readonly resource: ResourceField<M>;
  /**
   * Whether a successful answer may be kept and served again (the proxy's ETag memo and edge cache).
   * Only a finished run qualifies; the proxy still checks that the run is terminal.
   */
  readonly cacheable: boolean;
  /**
   * Whether it answers with a stream of responses (the watch) rather than one. Must agree with the
   * method's kind in the schema; the route table refuses a row that does not. A streaming method is
   * served as Server-Sent Events, never cached, retried or re-sent by a raw forwarder.
   */
  readonly streaming: boolean;
}

/** The policy of every method of the JobRun surface, unary and streaming. */
export const methodPolicies = {
  getJobRun: {
    role: "reader",
    idempotent: true,
    resource: { field: "name", kind: "JobRun", wildcards: false },
    cacheable: true,
    streaming: false,
  },
  listJobRuns: {
    role: "reader",
    idempotent: true,
    resource: { field: "parent", kind: "Rollout", wildcards: true },
    cacheable: false,
    streaming: false,
  },
  terminateJobRun: {
    role: "operator",
    idempotent: false,
    resource: { field: "name", kind: "JobRun", wildcards: false },
    cacheable: false,
    streaming: false,
  },
  // jobrun's own: authorized exactly as listJobRuns is, on the same parent.
  watchJobRuns: {
    role: "reader",
    idempotent: true,
    resource: { field: "parent", kind: "Rollout", wildcards: true },
    cacheable: false,
    streaming: true,
  },
} as const satisfies { readonly [M in AnyMethodName]: MethodPolicy<M> };

/** The policy of one method. */
export function policyOf<M extends AnyMethodName>(method: M): MethodPolicy<M> {
  return methodPolicies[method] as MethodPolicy<M>;
}

/**
 * Validates the name in a method's resource field with the one set of name rules (parseJobRunName,
 * parseRolloutName); throws an INVALID_ARGUMENT ApiError naming the field, the segment and the rule.
 */
export function checkResourceName(resource: ResourceField, name: string): void {
  if (resource.kind === "JobRun") parseJobRunName(name, { field: resource.field });
  else parseRolloutName(name, { wildcards: resource.wildcards, field: resource.field });
}
