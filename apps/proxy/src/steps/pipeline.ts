import type { Context } from "hono";
import type { ProxyEnv, RequestState } from "../types.js";

/** What a step does with a request: answers it, or passes it on (undefined) to the next step. */
export type StepResult = Response | undefined;

/**
 * One step of the proxy's request handling, as a middleware would be, without `next`: it reads the
 * request and its state, may add to the state, and either answers (the steps after it do not run)
 * or passes the request on. A step that need not wait answers synchronously: no promise per request.
 */
export type Step = (c: Context<ProxyEnv>, state: RequestState) => StepResult | Promise<StepResult>;

/** The last step, which always answers. */
export type FinalStep = (c: Context<ProxyEnv>, state: RequestState) => Response | Promise<Response>;

/** The steps in order; the type ensures the last one always answers. */
export type Steps = readonly [...Step[], FinalStep];

/**
 * Runs the steps of one request in order until one answers. One loop over plain functions instead
 * of Hono's middleware chain: the chain cost a closure, a promise and a context-variable write per
 * step per request, which was most of a GET's time in the proxy.
 */
export function pipeline(steps: Steps): FinalStep {
  // The tuple type guarantees the split, which TypeScript cannot follow through slice().
  const passing = steps.slice(0, -1) as readonly Step[];
  const last = steps[steps.length - 1] as FinalStep;
  return async (c, state) => {
    for (let i = 0; i < passing.length; i += 1) {
      const result = (passing[i] as Step)(c, state);
      const answer = result instanceof Promise ? await result : result;
      if (answer !== undefined) return answer;
    }
    return last(c, state);
  };
}
