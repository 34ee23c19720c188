import type { ErrorFormat } from "@jobrun/core";
import type { RouteMatch } from "@jobrun/core/server";

/** What a caller may do: read (get, list) or also terminate. */
export type Role = "reader" | "operator";

/** An authenticated caller, as the auth step resolved it. Never holds the credential itself. */
export interface Caller {
  /** A stable, non-secret id: `key:<id>`, `jwt:<issuer>#<subject>` or `anonymous`. Used for rate limits and cache keys. */
  readonly id: string;
  readonly role: Role;
  /** Resource-name prefixes the caller may reach; `"all"` when auth is off. */
  readonly scopes: readonly string[] | "all";
  /** Whether terminate may carry `overrideDeployPolicy`. */
  readonly overrideDeployPolicy: boolean;
}

/**
 * One structured log line: `level` ("info", "warn" or "error"), `msg` and the request's fields; the
 * sink adds the time. Never put a credential in here.
 */
export interface LogEntry {
  readonly [field: string]: unknown;
}

/**
 * Where log lines go. The default writes one JSON object per line to stdout with console.log (what
 * Workers Logs read); the CLI writes through pino. The seam keeps pino out of the edge build.
 * Each call hands over an entry of its own: the sink may keep it, and change it, after it returns.
 */
export type LogSink = (entry: LogEntry) => void;

/**
 * What the proxy knows about one request while handling it. One plain object per request, passed
 * along explicitly: cheaper than Hono's context variables, and every step's inputs are visible.
 */
export interface RequestState {
  /** The request id, echoed in `x-request-id`. */
  readonly id: string;
  /** The method the request is served as: its own, except HEAD, which is served as GET. */
  readonly method: string;
  /**
   * Headers every response gets (request id, CORS), gathered before the handler runs and written
   * when the response is made: touching a finished Response's headers is slow on Node.
   */
  readonly headers: Record<string, string>;
  /** Fields the handlers add to the request's log line (rpc, resource, error code). */
  readonly fields: Record<string, unknown>;
  /** Set once authenticated. */
  caller: Caller | undefined;
  /** Whether the RPC has read the system parameters into prettyPrint and errorFormat. */
  systemParametersRead?: boolean;
  /** Whether answers (errors too) are indented: Google's `prettyPrint`, true unless the caller says false. */
  prettyPrint: boolean;
  /** The error format `$.xgafv` asks for ("2", the default, or "1" with the legacy `errors` array). */
  errorFormat: ErrorFormat;
  /** Set once routed: the REST method and path parameters, the resource name validated. */
  route: RouteMatched | undefined;
}

/** A request matched to a REST method of core's route table. */
export type RouteMatched = Extract<RouteMatch, { kind: "match" }>;

/**
 * The Hono environment of the proxy's app. It declares nothing: the request's state travels as a
 * RequestState argument, and on Node the adapter's bindings (`incoming`, `outgoing`) are read where
 * needed (node-server-adapter.ts), so any env a host passes is accepted.
 */
// biome-ignore lint/complexity/noBannedTypes: Hono's own blank environment is `{}`.
export type ProxyEnv = {};
