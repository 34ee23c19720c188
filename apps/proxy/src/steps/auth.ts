import type { Context } from "hono";
import { errorResponse, proxyError, toApiError } from "../errors.js";
import type { JwtVerifier } from "../jwt.js";
import type { KeyStore } from "../keys.js";
import { credentialsInQuery, refuseCredentialsInQuery } from "../system-parameters.js";
import type { Caller, RequestState } from "../types.js";
import type { Step, StepResult } from "./pipeline.js";

/**
 * Who may call. `"none"` lets everyone in as an operator over every resource: only for a proxy bound
 * to loopback (the CLI enforces that) or one that says `--insecure-no-auth`.
 */
export type AuthOptions =
  | "none"
  | {
      /** API keys: `Authorization: Bearer jrp_…` or `x-goog-api-key: jrp_…`. */
      readonly keys?: KeyStore;
      /** JWTs: `Authorization: Bearer <jwt>`. */
      readonly jwt?: JwtVerifier;
    };

/** Resolves a request's caller, or answers it (401). */
export type Authenticator = (
  c: Context,
  state: RequestState,
) => Caller | Response | Promise<Caller | Response>;

const ANONYMOUS: Caller = { id: "anonymous", role: "operator", scopes: "all", overrideDeployPolicy: true };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Resolves the caller from its credential; 401 without a valid one. The credential goes no further. */
export function authenticate(options: AuthOptions): Authenticator {
  // Without auth the answer is known up front, and given synchronously (no promise per request).
  if (options === "none") return () => ANONYMOUS;
  return async (c, state) => {
    // Read through Request.headers, not Node's header object: Node keeps only the first of repeated
    // Authorization fields, Fetch joins them (and the joined value is refused below).
    const credential = credentialOf(c.req.header("authorization"), c.req.header("x-goog-api-key"));
    try {
      if (credential === undefined) {
        // A credential in the URL instead of a header: say where it belongs rather than "missing".
        refuseCredentialsInQuery(credentialsInQuery(searchOf(c.req.url)));
        throw proxyError(
          "UNAUTHENTICATED",
          "CREDENTIALS_MISSING",
          "this proxy needs credentials: an API key (Authorization: Bearer or x-goog-api-key) or a bearer JWT",
        );
      }
      if (options.jwt !== undefined && JWT_SHAPE.test(credential)) return await options.jwt(credential);
      const caller = await options.keys?.verify(credential);
      if (caller === undefined) {
        throw proxyError("UNAUTHENTICATED", "CREDENTIALS_INVALID", "the API key or token is not valid");
      }
      return caller;
    } catch (error) {
      const apiError = toApiError(error);
      state.fields.error = apiError.code;
      return errorResponse(
        apiError,
        apiError.code === "UNAUTHENTICATED"
          ? { ...state.headers, "www-authenticate": "Bearer" }
          : state.headers,
      );
    }
  };
}

function credentialOf(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return apiKey?.trim() || undefined;
}

/** The auth step: the caller goes into the request's state; without a valid credential, 401. */
export function auth(options: AuthOptions): Step {
  const resolve = authenticate(options);
  const admit = (state: RequestState, caller: Caller | Response): StepResult => {
    if (caller instanceof Response) return caller;
    state.caller = caller;
    return undefined;
  };
  return (c, state) => {
    const caller = resolve(c, state);
    return caller instanceof Promise
      ? caller.then((resolved) => admit(state, resolved))
      : admit(state, caller);
  };
}

/** The query string of a URL, without the "?" ("" for none). */
function searchOf(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? "" : url.slice(q + 1);
}
