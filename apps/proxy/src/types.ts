/** What a caller may do: read (get, list) or also terminate. */
export type Role = "reader" | "operator";

/** An authenticated caller, as the auth middleware resolved it. Never holds the credential itself. */
export interface Caller {
  /** A stable, non-secret id: `key:<id>`, `jwt:<issuer>#<subject>` or `anonymous`. Used for rate limits and cache keys. */
  readonly id: string;
  readonly role: Role;
  /** Resource-name prefixes the caller may reach; `"all"` when auth is off. */
  readonly scopes: readonly string[] | "all";
  /** Whether terminate may carry `overrideDeployPolicy`. */
  readonly overrideDeployPolicy: boolean;
}

/** One structured log line; the logger adds time and level. Never put a credential in here. */
export interface LogEntry {
  readonly [field: string]: unknown;
}

/** Where log lines go. The default writes one JSON object per line to stdout. */
export type LogSink = (entry: LogEntry) => void;

/** The Hono environment of the proxy's app. */
export interface ProxyEnv {
  Variables: {
    requestId: string;
    caller: Caller;
    /** Fields the handlers add to the request's log line (rpc, resource, error code). */
    logFields: Record<string, unknown>;
    /**
     * Headers every response gets (request id, CORS), gathered before the handler runs and written
     * when the response is made: touching a finished Response's headers is slow on Node.
     */
    responseHeaders: Record<string, string>;
  };
}
