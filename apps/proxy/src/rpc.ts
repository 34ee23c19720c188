// The three RPCs: parse and validate the request, authorize it (role, scopes, override grant),
// call the backend, encode the answer. Authorization always happens before the backend is called.

import {
  ApiError,
  type CallOptions,
  decodeJson,
  decodeJsonText,
  type EnumEncoding,
  encodeJson,
  enumEncodingFromQuery,
  isTerminal,
  JobRunSchema,
  type JobRunService,
  ListJobRunsRequestSchema,
  ListJobRunsResponseSchema,
  parseJobRunName,
  parseRolloutName,
  type RouteMatch,
  TerminateJobRunRequestSchema,
  TerminateJobRunResponseSchema,
} from "@jobrun/core";
import type { Context } from "hono";
import { cacheKey, EDGE_TTL_S, type ResponseCache } from "./cache.js";
import { disconnectSignal, header, NO_QUERY_MARK, queryOf } from "./request-info.js";
import { inScopes, outOfScope, parseScopes, type Scope } from "./scopes.js";
import { readBodyText } from "./steps/body-limit.js";
import { type EncodedRunMemo, ifNoneMatchHits, strongEtag } from "./steps/etag.js";
import type { FinalStep } from "./steps/pipeline.js";
import type { Caller, ProxyEnv, RequestState } from "./types.js";

export interface RpcContext {
  readonly backend: JobRunService;
  readonly cache: ResponseCache | undefined;
  readonly memo: EncodedRunMemo;
  readonly timeoutMs: number | undefined;
  readonly cancelOnDisconnect: boolean;
  readonly maxBodyBytes: number;
}

type Match = Extract<RouteMatch, { kind: "match" }>;

/** Query parameters every method takes: Google's system parameters. */
const SYSTEM_PARAMS = new Set(["$alt", "alt", "$prettyPrint", "prettyPrint"]);
/**
 * ListJobRuns' query fields, by JSON and by proto name (Google accepts both). A Map, not an object:
 * looking a caller's key up in an object finds inherited names (`constructor`, `__proto__`).
 */
const LIST_PARAMS: ReadonlyMap<string, string> = new Map([
  ["pageSize", "pageSize"],
  ["page_size", "pageSize"],
  ["pageToken", "pageToken"],
  ["page_token", "pageToken"],
  ["filter", "filter"],
  ["orderBy", "orderBy"],
  ["order_by", "orderBy"],
]);
/** Get and terminate take no query fields. */
const NO_PARAMS: ReadonlyMap<string, string> = new Map();

const JSON_TYPE = "application/json; charset=utf-8";

/** The enum encoding of a call without a query. */
const DEFAULT_ENCODING: EnumEncoding = enumEncodingFromQuery(new URLSearchParams());

/** The last step: serves the RPC the route step matched. */
export function rpc(context: RpcContext): FinalStep {
  return (c, state) => handleRpc(c, state, state.route as Match, context, true);
}

/**
 * Serves one RPC. `validated` says the match came from the route memo, whose entries are stored only
 * after the name in them passed validation: the same text is not parsed again.
 */
export async function handleRpc(
  c: Context<ProxyEnv>,
  state: RequestState,
  match: Match,
  rpc: RpcContext,
  validated: boolean,
): Promise<Response> {
  const caller = state.caller as Caller;
  const query = queryOf(c);
  const encoding = query === NO_QUERY_MARK ? DEFAULT_ENCODING : enumEncodingFromQuery(query);
  const options = callOptions(c, rpc);
  const extra = state.headers;
  const fields = state.fields;
  fields.rpc = match.route.rpc;
  switch (match.route.rpc) {
    case "GetJobRun": {
      const name = match.params.name ?? "";
      fields.resource = name;
      readQuery(query, NO_PARAMS);
      if (!validated) parseJobRunName(name, { field: "name" });
      authorize(caller, "name", name);
      return getJobRun(c, state, rpc, name, encoding, options);
    }
    case "ListJobRuns": {
      const parent = match.params.parent ?? "";
      fields.resource = parent;
      const request = decodeJson(ListJobRunsRequestSchema, { parent, ...readQuery(query, LIST_PARAMS) });
      if (!validated) parseRolloutName(parent, { wildcards: true, field: "parent" });
      authorize(caller, "parent", parent);
      const response = await rpc.backend.listJobRuns(request, options);
      return json(encodeJson(ListJobRunsResponseSchema, response, { enumEncoding: encoding }), {
        ...extra,
        "cache-control": "no-store",
      });
    }
    case "TerminateJobRun": {
      const name = match.params.name ?? "";
      fields.resource = name;
      readQuery(query, NO_PARAMS);
      if (!validated) parseJobRunName(name, { field: "name" });
      if (caller.role !== "operator") {
        throw new ApiError("PERMISSION_DENIED", `permission denied: terminating needs the operator role`);
      }
      authorize(caller, "name", name);
      const request = await readTerminateBody(c.req.raw, name, rpc.maxBodyBytes);
      if (request.overrideDeployPolicy.length > 0 && !caller.overrideDeployPolicy) {
        throw new ApiError(
          "PERMISSION_DENIED",
          "permission denied: this caller may not override deploy policies (overrideDeployPolicy)",
        );
      }
      const response = await rpc.backend.terminateJobRun(request, options);
      return json(encodeJson(TerminateJobRunResponseSchema, response, { enumEncoding: encoding }), {
        ...extra,
        "cache-control": "no-store",
      });
    }
  }
}

/** Validates a matched route's resource name (what `handleRpc` checks unless told it was). */
export function validateMatch(match: Match): void {
  if (match.route.rpc === "ListJobRuns") {
    parseRolloutName(match.params.parent ?? "", { wildcards: true, field: "parent" });
  } else {
    parseJobRunName(match.params.name ?? "", { field: "name" });
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

async function getJobRun(
  c: Context<ProxyEnv>,
  state: RequestState,
  rpc: RpcContext,
  name: string,
  encoding: EnumEncoding,
  options: CallOptions,
): Promise<Response> {
  const extra = state.headers;
  const ifNoneMatch = header(c, "if-none-match");
  const key =
    rpc.cache === undefined ? "" : await cacheKey((state.caller as Caller).id, c.req.path, encoding);
  if (rpc.cache !== undefined) {
    const hit = await rpc.cache.match(key);
    const etag = hit?.headers.get("etag");
    if (hit !== undefined && etag) {
      state.fields.cache = "hit";
      return finished(await hit.text(), etag, ifNoneMatch, extra);
    }
  }
  const run = await rpc.backend.getJobRun({ name }, options);
  if (!isTerminal(run.state)) {
    return json(encodeJson(JobRunSchema, run, { enumEncoding: encoding }), {
      ...extra,
      "cache-control": "no-store",
    });
  }
  let entry = rpc.memo.get(run, encoding);
  if (entry === undefined) {
    const body = JSON.stringify(encodeJson(JobRunSchema, run, { enumEncoding: encoding }));
    entry = { body, etag: await strongEtag(body) };
    rpc.memo.set(run, encoding, entry);
  }
  if (rpc.cache !== undefined) {
    const stored = new Response(entry.body, {
      headers: { "content-type": JSON_TYPE, etag: entry.etag, "cache-control": `max-age=${EDGE_TTL_S}` },
    });
    await rpc.cache.put(key, stored);
  }
  return finished(entry.body, entry.etag, ifNoneMatch, extra);
}

/** A finished run: validated by its strong ETag; caches private to the caller may keep it. */
function finished(
  body: string,
  etag: string,
  ifNoneMatch: string | undefined,
  extra: Record<string, string>,
): Response {
  const headers = { ...extra, etag, "cache-control": "private, max-age=300", "content-type": JSON_TYPE };
  if (ifNoneMatchHits(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}

function json(value: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(value), {
    status: 200,
    headers: { "content-type": JSON_TYPE, ...headers },
  });
}

const scopeCache = new WeakMap<readonly string[], Scope[]>();

function authorize(caller: Caller, field: "name" | "parent", name: string): void {
  if (caller.scopes === "all") return;
  let scopes = scopeCache.get(caller.scopes);
  if (scopes === undefined) {
    scopes = parseScopes(caller.scopes);
    scopeCache.set(caller.scopes, scopes);
  }
  if (!inScopes(scopes, name)) throw outOfScope(field, name);
}

/**
 * The request's query as request fields, by `allowed` (query name → JSON field). Unknown or repeated
 * parameters are refused, as Google's endpoint does, instead of being silently ignored.
 */
function readQuery(query: URLSearchParams, allowed: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (query === NO_QUERY_MARK) return out;
  const seen = new Set<string>();
  for (const [key, value] of query) {
    if (seen.has(key)) throw badQuery(key, `is given more than once`);
    seen.add(key);
    if (SYSTEM_PARAMS.has(key)) continue;
    const field = allowed.get(key);
    if (field === undefined) throw badQuery(key, "is not a parameter of this method");
    if (Object.hasOwn(out, field)) throw badQuery(key, `repeats ${field}`);
    out[field] = value;
  }
  return out;
}

function badQuery(key: string, reason: string): ApiError {
  const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
  return new ApiError("INVALID_ARGUMENT", `query parameter ${shown} ${reason}`);
}

async function readTerminateBody(request: Request, name: string, limit: number) {
  const type = request.headers.get("content-type");
  const text = await readBodyText(request, limit);
  if (text.trim() === "") return decodeJson(TerminateJobRunRequestSchema, { name });
  if (type !== null && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `the request body must be application/json, not ${JSON.stringify(type)}`,
    );
  }
  const message = decodeJsonText(TerminateJobRunRequestSchema, text);
  if (message.name !== "" && message.name !== name) {
    throw new ApiError("INVALID_ARGUMENT", "the body's name differs from the name in the URL path");
  }
  message.name = name;
  return message;
}
