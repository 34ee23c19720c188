// The RPCs: read the system parameters and the request, authorize it (role, scopes, override grant),
// then either forward it upstream and hand the upstream's answer on as it came (a backend that can,
// such as the google backend) or call the backend and encode its answer the way the caller asked.
// Authorization always happens before the backend is called or anything is forwarded.

import {
  type DescMessage,
  fromBinary,
  fromJson,
  type JsonValue,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  type CallOptions,
  encodeJson,
  type ImmediateAnswers,
  isApiError,
  isTerminal,
  type JobRun,
  JobRun_State,
  JobRunSchema,
  type JobRunService,
  type ListJobRunsResponse,
  ListJobRunsResponseSchema,
  type MethodName,
  parseJobRunName,
  parseRolloutName,
  type RawAnswer,
  type RawForwarder,
  type RequestOf,
  roleAllows,
} from "@jobrun/core";
import {
  checkFieldSelection,
  DEFAULT_SYSTEM_PARAMETERS,
  type FieldSelection,
  parseHttpRequest,
  readSystemParameters,
  type SystemParameters,
  selectFields,
} from "@jobrun/core/server";
import type { Context } from "hono";
import { cacheKey, EDGE_TTL_S, type ResponseCache } from "./cache.js";
import { PROXY_ERROR_DOMAIN, proxyError } from "./errors.js";
import { disconnectSignal, header, NO_QUERY_MARK, queryOf } from "./request-info.js";
import { inScopes, outOfScope, scopesOf } from "./scopes.js";
import { readBodyText } from "./steps/body-limit.js";
import { type EncodedRun, type EncodedRunMemo, ifNoneMatchHits, strongEtag } from "./steps/etag.js";
import type { FinalStep } from "./steps/pipeline.js";
import type { RunJsonMemo } from "./steps/run-json.js";
import { refuseCredentialsInQuery } from "./system-parameters.js";
import type { Caller, ProxyEnv, RequestState, RouteMatched } from "./types.js";

export interface RpcContext {
  readonly backend: JobRunService;
  /** The backend's raw forwarding, when it has one: then answers pass through as the upstream sent them. */
  readonly forwarder: RawForwarder | undefined;
  /** The backend's answers at once, when it has them (an in-memory backend): no promise per read. */
  readonly immediate: ImmediateAnswers | undefined;
  readonly cache: ResponseCache | undefined;
  readonly memo: EncodedRunMemo;
  /** JSON text of run snapshots, reused across GETs and list pages. */
  readonly runJson: RunJsonMemo;
  readonly timeoutMs: number | undefined;
  readonly cancelOnDisconnect: boolean;
  readonly maxBodyBytes: number;
}

const JSON_TYPE = "application/json; charset=utf-8";
const PROTO_TYPE = "application/x-protobuf";

/** The last step: serves the RPC the route step matched. */
export function rpc(context: RpcContext): FinalStep {
  return (c, state) => handleRpc(c, state, state.route as RouteMatched, context);
}

/**
 * Serves one RPC. The match comes from the route step, which validated the resource name in it
 * (validateMatch) before storing it in its memo: the same text is not parsed again. Synchronous
 * wherever nothing needs waiting for (no body to read, a backend that answers at once, a finished
 * run already encoded): see pipeline() for why that matters.
 */
function handleRpc(
  c: Context<ProxyEnv>,
  state: RequestState,
  match: RouteMatched,
  rpc: RpcContext,
): Response | Promise<Response> {
  const caller = state.caller as Caller;
  const route = match.route;
  const policy = route.policy;
  const query = queryOf(c);
  const system = query === NO_QUERY_MARK ? DEFAULT_SYSTEM_PARAMETERS : readSystemParameters(query);
  state.prettyPrint = system.prettyPrint;
  state.errorFormat = system.errorFormat;
  state.systemParametersRead = true;
  refuseUnsupported(system);
  const resource = match.params[policy.resource.field] ?? "";
  state.fields.rpc = route.rpc;
  state.fields.resource = resource;
  if (!roleAllows(caller.role, policy.role)) {
    throw proxyError(
      "PERMISSION_DENIED",
      "ROLE_INSUFFICIENT",
      `permission denied: ${route.rpc} needs the ${policy.role} role`,
      { metadata: { resource, role: caller.role, required: policy.role } },
    );
  }
  authorize(caller, policy.resource.field, resource);
  if (route.body === "*") {
    return readJsonBody(c.req.raw, rpc.maxBodyBytes).then((body) =>
      serveRequest(c, state, match, rpc, query, system, body),
    );
  }
  return serveRequest(c, state, match, rpc, query, system, undefined);
}

/**
 * The request messages of calls with neither query nor body, by route match: a function of the path
 * alone, and the route step hands out the same match for the same path, so a repeated GET builds no
 * message. Frozen, as they are shared by every call of that path.
 */
const requestsOfPath = new WeakMap<RouteMatched, RequestOf<MethodName>>();

function requestOfPath(match: RouteMatched): RequestOf<MethodName> {
  let request = requestsOfPath.get(match);
  if (request === undefined) {
    request = Object.freeze(
      parseHttpRequest(match.route, match.params, NO_QUERY_MARK, undefined, { paramsChecked: true }),
    );
    requestsOfPath.set(match, request);
  }
  return request;
}

/** Serves an authorized RPC once its body (if it has one) is read. */
function serveRequest(
  c: Context<ProxyEnv>,
  state: RequestState,
  match: RouteMatched,
  rpc: RpcContext,
  query: URLSearchParams,
  system: SystemParameters,
  body: string | undefined,
): Response | Promise<Response> {
  const caller = state.caller as Caller;
  const route = match.route;
  const request =
    query === NO_QUERY_MARK && body === undefined
      ? requestOfPath(match)
      : parseHttpRequest(route, match.params, query, body, { paramsChecked: true });
  if (route.methodName === "terminateJobRun") {
    const { name, overrideDeployPolicy: override } = request as RequestOf<"terminateJobRun">;
    if (override.length > 0 && !caller.overrideDeployPolicy) {
      throw proxyError(
        "PERMISSION_DENIED",
        "DEPLOY_POLICY_OVERRIDE_NOT_ALLOWED",
        "permission denied: this caller may not override deploy policies (overrideDeployPolicy)",
        { metadata: { resource: name } },
      );
    }
  }
  if (rpc.forwarder !== undefined) {
    return forward(c, state, rpc, rpc.forwarder, route.methodName, request, system, callOptions(c, rpc));
  }
  // Checked before the backend is called: a bad selection must not follow a terminate that happened.
  const selection =
    system.fields === undefined ? undefined : checkFieldSelection(route.output, system.fields);
  const now = rpc.immediate?.answerNow(route.methodName, request);
  if (now !== undefined) return answer(c, state, rpc, match, now, system, selection);
  const method = rpc.backend[route.methodName] as (
    request: RequestOf<MethodName>,
    options: CallOptions,
  ) => Promise<MessageShape<DescMessage>>;
  return method
    .call(rpc.backend, request, callOptions(c, rpc))
    .then((response) => answer(c, state, rpc, match, response, system, selection));
}

/** The backend's answer to the caller, in the encoding asked for. */
function answer(
  c: Context<ProxyEnv>,
  state: RequestState,
  rpc: RpcContext,
  match: RouteMatched,
  response: MessageShape<DescMessage>,
  system: SystemParameters,
  selection: FieldSelection | undefined,
): Response | Promise<Response> {
  const route = match.route;
  checkAnswerScopes(state.caller as Caller, runsInMessage(route.methodName, response));
  if (route.policy.cacheable && isTerminal((response as MessageShape<typeof JobRunSchema>).state)) {
    return finishedRun(c, state, rpc, response as MessageShape<typeof JobRunSchema>, system, selection);
  }
  const encoded = encodeAnswer(route.output, response, system, selection, rpc.runJson);
  return new Response(encoded.body, {
    status: 200,
    headers: Object.assign({}, state.headers, {
      "content-type": encoded.contentType,
      "cache-control": "no-store",
    }),
  });
}

/** Validates a matched route's resource name (what `handleRpc` checks unless told it was). */
export function validateMatch(match: RouteMatched): void {
  if (match.route.rpc === "ListJobRuns") {
    parseRolloutName(match.params.parent ?? "", { wildcards: true, field: "parent" });
  } else {
    parseJobRunName(match.params.name ?? "", { field: "name" });
  }
}

/**
 * System parameters the proxy does not serve: credentials in the URL (keys in URLs end up in logs,
 * browser histories and Referer headers), JSONP, and media downloads (no JobRun method has media).
 */
function refuseUnsupported(system: SystemParameters): void {
  refuseCredentialsInQuery(system.credentials);
  if (system.callback !== undefined) {
    throw proxyError(
      "INVALID_ARGUMENT",
      "JSONP_NOT_SUPPORTED",
      "system parameter callback (JSONP) is not supported: call with fetch and CORS instead",
    );
  }
  if (system.alt === "media") {
    throw proxyError(
      "INVALID_ARGUMENT",
      "ALT_MEDIA_NOT_SUPPORTED",
      "alt=media is for media downloads, and no JobRun method has media: use alt=json or alt=proto",
    );
  }
}

/** Shared by every call that needs neither a disconnect signal nor a timeout: nothing per request. */
const NO_OPTIONS: CallOptions = Object.freeze({});

function callOptions(c: Context<ProxyEnv>, rpc: RpcContext): CallOptions {
  if (!rpc.cancelOnDisconnect) return rpc.timeoutMs === undefined ? NO_OPTIONS : { timeoutMs: rpc.timeoutMs };
  return {
    signal: disconnectSignal(c),
    ...(rpc.timeoutMs === undefined ? {} : { timeoutMs: rpc.timeoutMs }),
  };
}

/**
 * What distinguishes one encoding of an answer from another (wire format, enums, indentation,
 * selection): the key of the encoded-run memo and of the edge cache.
 */
function representationOf(system: SystemParameters): string {
  return system === DEFAULT_SYSTEM_PARAMETERS ? DEFAULT_REPRESENTATION : representationText(system);
}

function representationText(system: SystemParameters): string {
  return `${system.alt};${system.enumEncoding};${system.prettyPrint ? "pretty" : "compact"};${system.fields?.text ?? ""}`;
}

/** The representation of nearly every call (no query): not rebuilt per request. */
const DEFAULT_REPRESENTATION = representationText(DEFAULT_SYSTEM_PARAMETERS);

/** A message as the caller asked for it: JSON (names or numbers, indented or not, partial) or binary. */
function encodeAnswer(
  schema: DescMessage,
  message: MessageShape<DescMessage>,
  system: SystemParameters,
  selection: FieldSelection | undefined,
  runJson: RunJsonMemo,
): { body: string | Uint8Array<ArrayBuffer>; contentType: string } {
  if (system.alt === "proto") {
    const selected =
      selection === undefined
        ? message
        : fromJson(schema, selectFields(encodeJson(schema, message), selection.root));
    return { body: toBinary(schema, selected), contentType: PROTO_TYPE };
  }
  if (selection === undefined) {
    const text =
      schema === JobRunSchema
        ? runJson.run(message as JobRun, system.enumEncoding, system.prettyPrint)
        : schema === ListJobRunsResponseSchema
          ? runJson.page(message as ListJobRunsResponse, system.enumEncoding, system.prettyPrint)
          : undefined;
    if (text !== undefined) return { body: text, contentType: JSON_TYPE };
  }
  let json: JsonValue = encodeJson(schema, message, { enumEncoding: system.enumEncoding });
  if (selection !== undefined) json = selectFields(json, selection.root);
  return { body: JSON.stringify(json, null, system.prettyPrint ? 2 : undefined), contentType: JSON_TYPE };
}

/**
 * A finished run from the backend: encoded once per representation, with its strong ETag. Answered
 * synchronously once encoded (the hash behind the ETag is the Web Crypto API's, which is async).
 */
function finishedRun(
  c: Context<ProxyEnv>,
  state: RequestState,
  rpc: RpcContext,
  run: MessageShape<typeof JobRunSchema>,
  system: SystemParameters,
  selection: FieldSelection | undefined,
): Response | Promise<Response> {
  const representation = representationOf(system);
  // Not put in the edge cache: only the forward path reads it (a cache hit there saves a call to
  // Google); here the memo already has the bytes, and a hash and a Cache API write per GET for
  // entries nothing reads were most of a Worker's CPU time per GET.
  const known = rpc.memo.get(run, representation);
  if (known !== undefined) return finished(known, header(c, "if-none-match"), state.headers);
  const encoded = encodeAnswer(JobRunSchema, run, system, selection, rpc.runJson);
  return strongEtag(encoded.body).then((etag) => {
    const entry: EncodedRun = { ...encoded, etag };
    rpc.memo.set(run, representation, entry);
    return finished(entry, header(c, "if-none-match"), state.headers);
  });
}

async function storeInCache(cache: ResponseCache, key: string, entry: EncodedRun): Promise<void> {
  const stored = new Response(entry.body, {
    headers: {
      "content-type": entry.contentType,
      etag: entry.etag,
      "cache-control": `max-age=${EDGE_TTL_S}`,
    },
  });
  await cache.put(key, stored);
}

/**
 * A finished run: validated by its strong ETag; caches private to the caller may keep it. The
 * response's headers are the request's own (`headers`, which this completes): the answer is the
 * request's last use of them, and no copy is made per request.
 */
function finished(
  entry: EncodedRun,
  ifNoneMatch: string | undefined,
  headers: Record<string, string>,
): Response {
  headers.etag = entry.etag;
  headers["cache-control"] = "private, max-age=300";
  headers["content-type"] = entry.contentType;
  if (ifNoneMatchHits(ifNoneMatch, entry.etag)) return new Response(null, { status: 304, headers });
  return new Response(entry.body, { status: 200, headers });
}

/**
 * Forwards the authorized request upstream with the caller's system parameters, and answers with the
 * upstream's status and bytes as they came: newer fields and enum values, the enum encoding the
 * caller asked for, Google's own error details. Only a finished run (read leniently from those
 * bytes) gets an ETag and a place in the edge cache; the bytes themselves are never re-encoded.
 */
async function forward(
  c: Context<ProxyEnv>,
  state: RequestState,
  rpc: RpcContext,
  forwarder: RawForwarder,
  method: MethodName,
  request: RequestOf<MethodName>,
  system: SystemParameters,
  options: CallOptions,
): Promise<Response> {
  const cacheable = method === "getJobRun";
  const representation = representationOf(system);
  const key =
    cacheable && rpc.cache !== undefined
      ? await cacheKey((state.caller as Caller).id, c.req.path, representation)
      : undefined;
  if (key !== undefined && rpc.cache !== undefined) {
    const hit = await rpc.cache.match(key);
    const etag = hit?.headers.get("etag");
    if (hit !== undefined && etag) {
      state.fields.cache = "hit";
      const body = new Uint8Array(await hit.arrayBuffer());
      const contentType = hit.headers.get("content-type") ?? JSON_TYPE;
      return finished({ body, etag, contentType }, header(c, "if-none-match"), state.headers);
    }
  }
  let answer: RawAnswer;
  try {
    answer = await forwarder.forwardRaw(method, request as never, {
      ...options,
      systemParameters: system.forwarded,
    });
  } catch (error) {
    throw upstreamFailure(error);
  }
  if (answer.status < 200 || answer.status >= 300) {
    state.fields.error = upstreamStatusName(answer);
    return new Response(answer.body, {
      status: answer.status,
      headers: {
        ...state.headers,
        "content-type": answer.contentType,
        "cache-control": "no-store",
        ...(answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter }),
      },
    });
  }
  // Read leniently, for two decisions only (the bytes go on as they came): whether every run in the
  // answer lies inside the caller's scopes, and whether a got run is finished (ETag, edge cache).
  const runs = (state.caller as Caller).scopes === "all" && !cacheable ? undefined : runsIn(answer, method);
  if (runs !== undefined) checkAnswerScopes(state.caller as Caller, runs);
  if (cacheable && runs?.length === 1 && TERMINAL_STATES.has(runs[0]?.state)) {
    const entry: EncodedRun = {
      body: answer.body,
      contentType: answer.contentType,
      etag: await strongEtag(answer.body),
    };
    if (key !== undefined && rpc.cache !== undefined) await storeInCache(rpc.cache, key, entry);
    return finished(entry, header(c, "if-none-match"), state.headers);
  }
  return new Response(answer.body, {
    status: answer.status,
    headers: Object.assign({}, state.headers, {
      "content-type": answer.contentType,
      "cache-control": "no-store",
    }),
  });
}

const utf8 = new TextDecoder();
const TERMINAL_STATES: ReadonlySet<unknown> = new Set(
  [JobRun_State.SUCCEEDED, JobRun_State.FAILED, JobRun_State.TERMINATED].flatMap((state) => [
    state,
    JobRun_State[state],
  ]),
);

/**
 * The runs in a forwarded answer (a got run, or a page's runs), read leniently: only their name and
 * state, whatever else they carry; undefined when the answer cannot be read. A state this schema does
 * not know, or none (a partial response without it), is no terminal state.
 */
function runsIn(
  answer: RawAnswer,
  method: MethodName,
): readonly { name?: unknown; state?: unknown }[] | undefined {
  try {
    if (answer.contentType.startsWith(PROTO_TYPE)) {
      const read = (run: { name: string; state: number }) => ({
        name: run.name || undefined,
        state: run.state,
      });
      if (method === "getJobRun") return [read(fromBinary(JobRunSchema, answer.body))];
      if (method === "listJobRuns")
        return fromBinary(ListJobRunsResponseSchema, answer.body).jobRuns.map(read);
      return [];
    }
    const json = JSON.parse(utf8.decode(answer.body)) as { jobRuns?: unknown } | null;
    if (typeof json !== "object" || json === null) return undefined;
    if (method === "getJobRun") return [json as { name?: unknown; state?: unknown }];
    if (method === "listJobRuns") return Array.isArray(json.jobRuns) ? json.jobRuns : [];
    return [];
  } catch {
    return undefined;
  }
}

/** The runs in a backend's answer message: a list page's own array, not a copy. */
function runsInMessage(
  method: MethodName,
  message: MessageShape<DescMessage>,
): readonly { name?: unknown }[] {
  if (method === "getJobRun") return [message as MessageShape<typeof JobRunSchema>];
  if (method === "listJobRuns") return (message as MessageShape<typeof ListJobRunsResponseSchema>).jobRuns;
  return [];
}

/**
 * Defence in depth behind the request's own authorization: an answer naming a run outside the
 * caller's scopes (a backend that disregarded the parent, say) is not handed on. A name left out by
 * `fields` cannot be checked, and the request that asked for it was authorized.
 */
function checkAnswerScopes(caller: Caller, runs: readonly { name?: unknown }[]): void {
  // A caller with every scope needs no check, and no run's name is read.
  if (caller.scopes === "all") return;
  const scopes = scopesOf(caller.scopes);
  for (const { name } of runs) {
    if (typeof name === "string" && name !== "" && !inScopes(scopes, name)) {
      throw proxyError(
        "PERMISSION_DENIED",
        "RESOURCE_OUT_OF_SCOPE",
        "permission denied: the answer holds a job run outside the caller's scopes",
      );
    }
  }
}

/** The code name of an upstream error answer, for the log line. */
function upstreamStatusName(answer: RawAnswer): string {
  try {
    const status = (JSON.parse(utf8.decode(answer.body)) as { error?: { status?: unknown } }).error?.status;
    return typeof status === "string" ? status : `HTTP ${answer.status}`;
  } catch {
    return `HTTP ${answer.status}`;
  }
}

/**
 * The error for a forwarded call the upstream gave no answer to hand on: it was unreachable or slow,
 * or it refused the proxy's own credentials (a 401 for the proxy is not the caller's 401: the
 * caller's client would drop its own valid token). Decided by the proxy, so in its domain.
 */
function upstreamFailure(error: unknown): unknown {
  if (!isApiError(error)) return error;
  // Already told in the proxy's terms (the google backend's callerSafeError), or the caller's own abort.
  if (error.domain === PROXY_ERROR_DOMAIN || error.code === "CANCELLED") return error;
  if (error.code === "UNAUTHENTICATED" || error.httpStatus === 401) {
    return proxyError(
      "UNAVAILABLE",
      "UPSTREAM_CREDENTIALS_REFUSED",
      "the proxy could not authenticate to Google",
      {
        cause: error,
      },
    );
  }
  const reason = error.code === "DEADLINE_EXCEEDED" ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNAVAILABLE";
  return proxyError(error.code, reason, error.message, { httpStatus: error.httpStatus, cause: error });
}

function authorize(caller: Caller, field: string, name: string): void {
  if (caller.scopes === "all") return;
  if (!inScopes(scopesOf(caller.scopes), name))
    throw outOfScope(field === "parent" ? "parent" : "name", name);
}

/** A JSON request body, at most `limit` bytes; another content type is refused, an empty body is none. */
async function readJsonBody(request: Request, limit: number): Promise<string> {
  const type = request.headers.get("content-type");
  const text = await readBodyText(request, limit);
  if (text.trim() !== "" && type !== null && !/^application\/json\s*(;|$)/i.test(type)) {
    throw proxyError(
      "INVALID_ARGUMENT",
      "UNSUPPORTED_CONTENT_TYPE",
      `the request body must be application/json, not ${JSON.stringify(type)}`,
    );
  }
  return text;
}
