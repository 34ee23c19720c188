import { ApiError } from "@jobrun/core";
import type { MiddlewareHandler } from "hono";
import { errorResponse, toApiError } from "../errors.js";
import type { JwtVerifier } from "../jwt.js";
import type { KeyStore } from "../keys.js";
import type { Caller, ProxyEnv } from "../types.js";

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

const ANONYMOUS: Caller = { id: "anonymous", role: "operator", scopes: "all", overrideDeployPolicy: true };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Resolves the caller from its credential; 401 without a valid one. The credential goes no further. */
export function authenticate(options: AuthOptions): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    if (options === "none") {
      c.set("caller", ANONYMOUS);
      return next();
    }
    const credential = credentialOf(c.req.header("authorization"), c.req.header("x-goog-api-key"));
    let caller: Caller | undefined;
    try {
      if (credential === undefined) {
        throw new ApiError(
          "UNAUTHENTICATED",
          "this proxy needs credentials: an API key (Authorization: Bearer or x-goog-api-key) or a bearer JWT",
        );
      }
      if (options.jwt !== undefined && JWT_SHAPE.test(credential)) {
        caller = await options.jwt(credential);
      } else {
        caller = await options.keys?.verify(credential);
        if (caller === undefined) throw new ApiError("UNAUTHENTICATED", "the API key or token is not valid");
      }
    } catch (error) {
      const apiError = toApiError(error);
      c.get("logFields").error = apiError.code;
      const headers = c.get("responseHeaders");
      return errorResponse(
        apiError,
        apiError.code === "UNAUTHENTICATED" ? { ...headers, "www-authenticate": "Bearer" } : headers,
      );
    }
    c.set("caller", caller);
    return next();
  };
}

function credentialOf(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return apiKey?.trim() || undefined;
}
