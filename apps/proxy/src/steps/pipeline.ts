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
 * step per request, which was most of a GET's time in the proxy. While every step answers
 * synchronously the answer is synchronous too: Hono and @hono/node-server then write it at once,
 * where a promise anywhere on the way costs each request several microtask hops.
 */
export function pipeline(steps: Steps): FinalStep {
  // The tuple type guarantees the split, which TypeScript cannot follow through slice().
  const passing = steps.slice(0, -1) as readonly Step[];
  const last = steps[steps.length - 1] as FinalStep;
  const runFrom = (
    first: number,
    c: Context<ProxyEnv>,
    state: RequestState,
  ): Response | Promise<Response> => {
    for (let i = first; i < passing.length; i += 1) {
      const result = (passing[i] as Step)(c, state);
      if (result instanceof Promise) {
        return result.then((answer) => answer ?? runFrom(i + 1, c, state));
      }
      if (result !== undefined) return result;
    }
    return last(c, state);
  };
  return (c, state) => runFrom(0, c, state);
}
