// An optional capability beside the JobRunService contract: answering a read at once, without a
// promise. An in-memory backend (the emulator) has the answer in hand when it is asked; the contract's
// methods still return promises, and on a server answering tens of thousands of requests a second the
// promise hops of each call (the backend's, then the framework's around an async handler) cost more
// than the read itself. A host that can answer synchronously (the proxy) asks here first.

import type { JobRunService } from "../service.js";
import type { methodPolicies } from "./method-policy.js";
import type { MethodName, RequestInitOf, ResponseOf } from "./methods.js";

/** The unary methods that change nothing (a reader may call them): the calls answered at once. */
export type ReadMethodName = {
  [M in MethodName]: (typeof methodPolicies)[M]["role"] extends "reader" ? M : never;
}[MethodName];

/**
 * A backend that can answer some calls at once. `answerNow` returns what the method would resolve
 * with, throws the ApiError it would reject with, or returns undefined when it cannot answer this
 * call at once (a change that must wait to be saved, say): then call the method as usual. Only calls
 * that change nothing may be answered here; call options do not apply (there is nothing to wait for,
 * so nothing to cancel or time out).
 */
export interface ImmediateAnswers {
  answerNow<M extends MethodName>(method: M, request: RequestInitOf<M>): ResponseOf<M> | undefined;
}

/** The immediate answers of a backend, if it has them. */
export function immediateAnswersOf(service: JobRunService): ImmediateAnswers | undefined {
  const candidate = service as Partial<ImmediateAnswers>;
  return typeof candidate.answerNow === "function"
    ? (service as JobRunService & ImmediateAnswers)
    : undefined;
}
