// The one place that reads what @hono/node-server hands the app beside the Fetch Request: its env
// bindings `{ incoming, outgoing }`, Node's IncomingMessage and ServerResponse. They spare the hot
// path work the Fetch view costs on Node: building a Headers object from the raw header list to read
// one header, parsing the whole URL to learn there is no query, a second Request for its signal. The
// raw request line also shows dot segments that `Request.url` would have resolved.
//
// Typed by shape, importing neither `node:` modules nor @hono/node-server, so the edge build (no Node
// types) compiles it. On Workers and in `app.request()` there are no bindings: every read answers
// undefined and the caller falls back to the Fetch API. Because that fallback would hide a change in
// the adapter's bindings (the proxy would only get slower, and lose its dot-segment check), the shape
// read here is asserted against a real @hono/node-server by test/node-server-adapter.test.ts.

/** The parts of @hono/node-server's `HttpBindings` the proxy reads. */
export interface NodeServerBindings {
  readonly incoming: {
    /** The request-target as sent: path and query, percent-encoding and dot segments intact. */
    readonly url?: string | undefined;
    /** Node's parsed headers: lower-case names, repeated fields joined with ", " (most of them). */
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  };
  readonly outgoing: {
    /** "close" is emitted when the response is done or the connection went away first. */
    once(event: "close", listener: () => void): unknown;
    /** True once the whole response was handed to the socket. */
    readonly writableFinished: boolean;
  };
}

/** What a host may pass as the env: the bindings when it is @hono/node-server, anything otherwise. */
type MaybeBindings =
  | { readonly [K in keyof NodeServerBindings]?: Partial<NodeServerBindings[K]> }
  | undefined;

/**
 * Node's parsed header object of the request, or undefined when the host is not @hono/node-server.
 * Read a header from it only if Node joins repeated fields exactly as Fetch's `Headers.get` does
 * (not Authorization, Content-Type, Host…, of which Node keeps the first).
 */
export function incomingHeaders(env: unknown): NodeServerBindings["incoming"]["headers"] | undefined {
  return (env as MaybeBindings)?.incoming?.headers;
}

/**
 * The request-target as the caller sent it, in origin form (`/path?query`, dot segments and
 * percent-encoding intact), or undefined. An absolute-form target (`GET http://host/path HTTP/1.1`,
 * which RFC 9112 has servers accept) is cut down to its path and query, still raw: its dot segments
 * must be refused like any others, not resolved by a URL parser.
 */
export function incomingTarget(env: unknown): string | undefined {
  const url = (env as MaybeBindings)?.incoming?.url;
  if (typeof url !== "string") return undefined;
  if (url.startsWith("/")) return url;
  const scheme = /^https?:\/\//i.exec(url);
  if (scheme === null) return undefined;
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?]/);
  if (end < 0) return "/";
  return rest[end] === "/" ? rest.slice(end) : `/${rest.slice(end)}`;
}

/**
 * The Host header of a request whose target was in absolute form ("" when it has none), else
 * undefined. There `Request.url` takes its host from the target, so a check of the URL's host alone
 * would let any Host header through: both must pass.
 */
export function absoluteFormHost(env: unknown): string | undefined {
  const incoming = (env as MaybeBindings)?.incoming;
  const url = incoming?.url;
  if (typeof url !== "string" || url.startsWith("/")) return undefined;
  const host = incoming?.headers?.host;
  return typeof host === "string" ? host : "";
}

/** Whether the host is @hono/node-server (its bindings are the env). */
export function isNodeServer(env: unknown): boolean {
  return (env as MaybeBindings)?.incoming !== undefined;
}

/**
 * A signal that fires when the caller goes away before its response is written, from the response's
 * "close" event (reading `Request.signal` on Node would build a whole second Request); undefined when
 * the host is not @hono/node-server. Costs one listener on the response.
 */
export function disconnectSignalOf(env: unknown): AbortSignal | undefined {
  const outgoing = (env as MaybeBindings)?.outgoing;
  if (outgoing === undefined || typeof outgoing.once !== "function") return undefined;
  const controller = new AbortController();
  outgoing.once("close", () => {
    if (outgoing.writableFinished !== true) controller.abort();
  });
  return controller.signal;
}

/** The parts of Node's ServerResponse a watch stream uses. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
  once(event: "close", listener: () => void): unknown;
  /** Bytes written and not yet handed to the kernel (the socket's buffer included). */
  readonly writableLength: number;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
}

/** The Node response a request is answered on, when the host is @hono/node-server; else undefined. */
export function nodeResponseOf(env: unknown): NodeResponseLike | undefined {
  const outgoing = (env as { outgoing?: Partial<NodeResponseLike> } | undefined)?.outgoing;
  if (
    outgoing === undefined ||
    typeof outgoing.writeHead !== "function" ||
    typeof outgoing.write !== "function" ||
    typeof outgoing.once !== "function" ||
    typeof outgoing.writableLength !== "number"
  )
    return undefined;
  return outgoing as NodeResponseLike;
}

/**
 * What the app answers once it wrote the response itself: @hono/node-server leaves a response alone
 * when its answer has no body and this header (the adapter's `RESPONSE_ALREADY_SENT`, whose module
 * the edge build cannot import).
 *
 * Since @hono/node-server 2, a bodiless Response of the adapter's own lightweight class (what the
 * global `Response` is once its listener exists) takes its fast path, which writes a head and ends
 * the response without looking for that header: the stream would be cut by a second head. Reading
 * `body` turns the response into a standard one, whose headers the adapter does read. (Its own
 * RESPONSE_ALREADY_SENT escapes only because it is made when its module loads, before the listener.)
 */
export function alreadySent(): Response {
  const response = new Response(null, { status: 200, headers: { "x-hono-already-sent": "true" } });
  void response.body;
  return response;
}
