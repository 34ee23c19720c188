// Generators of requests an attacker or an unlucky user could send, for the property suite
// (test/fuzz.test.ts) and its longer run (bench/fuzz.ts). Each is a method, a request-target sent
// byte for byte (dot segments, odd encodings and all), headers and a body; each is checked against
// the proxy's promises: no 5xx, a google.rpc.Status on every error, and an answer in bounded time.

import { Agent, request as httpRequest } from "node:http";
import { rollouts } from "@jobrun/conformance";
import fc from "fast-check";

export interface HostileRequest {
  readonly method: string;
  /** Path and query, exactly as written on the request line. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly ms: number;
}

const COLLECTIONS = ["projects", "locations", "deliveryPipelines", "releases", "rollouts", "jobRuns"];

const utf8 = new TextEncoder();
/** Percent-encodes as UTF-8; a lone surrogate (which encode throws on) becomes U+FFFD. */
const percent = (text: string) =>
  Array.from(utf8.encode(text), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
/** Everything but unreserved characters encoded, like encode. */
const encode = (text: string) => text.replace(/[^A-Za-z0-9\-._~!'()*]/g, percent);
/** Only what a request-target may not hold raw (Node's client refuses controls and spaces) encoded. */
const raw = (text: string) => text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%\\]/g, percent);

/** One path segment: real ids, reserved words, encodings of every kind, and junk. */
const segment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...COLLECTIONS,
    "conformance",
    "conformance-other",
    "us-central1",
    "web",
    "rel-1",
    "rel-1-to-prod-0001",
    "-",
    "*",
    "**",
    ".",
    "..",
    "%2e",
    "%2e%2e",
    ".%2E",
    "%2F",
    "%2f..%2f",
    "%5C",
    "%00",
    "%zz",
    "%",
    "%C3%A9",
    "%FF",
    "",
    "a".repeat(64),
    "a".repeat(300),
    "x:terminate",
    "%3Aterminate",
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,70}$/),
  fc.string({ unit: "grapheme", maxLength: 12 }).map(encode),
  fc.string({ maxLength: 12 }).map(raw),
);

/** A known name with one segment swapped for a hostile one, or segments strung together at random. */
const path: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...Object.values(rollouts)),
      fc.boolean(),
      fc.nat({ max: 13 }),
      segment,
      fc.constantFrom("", "", "", ":terminate", ":watch", ":cancel", "/", ":", "%3Aterminate"),
    )
    .map(([rollout, asRun, index, replacement, suffix]) => {
      const parts = `${rollout}/jobRuns${asRun ? "/00000000-0000-4000-8000-000000000001" : ""}`.split("/");
      if (index < parts.length) parts[index] = replacement;
      return `/v1/${parts.join("/")}${suffix}`;
    }),
  fc
    .array(segment, { maxLength: 16 })
    .chain((parts) =>
      fc.constantFrom("/v1/", "/", "/v1beta1/", "//v1/", "/v1/v1/").map((p) => `${p}${parts.join("/")}`),
    ),
  fc.constantFrom("/healthz", "/openapi.json", "/", "/healthz/", "/HEALTHZ", "/openapi.json/.."),
);

/** Words a filter may use; a few do not exist. */
const FILTER_FIELDS = [
  "name",
  "uid",
  "state",
  "jobId",
  "phaseId",
  "createTime",
  "startTime",
  "endTime",
  "etag",
  "deployJobRun.build",
  "deployJobRun.failureCause",
  "deployJobRun.metadata.cloudRun.service",
  "deployJobRun.metadata.cloudRun.serviceUrls",
  "verifyJobRun.artifactUri",
  "createChildRolloutJobRun.rolloutPhaseId",
  "job_id",
  "JobId",
  "nope",
  "name.x",
  "state.",
  "",
];

/** A wildcard pattern: stars in runs (the shape that made a backtracking matcher explode). */
const glob = fc
  .array(fc.constantFrom("*", "*", "*", "a", "X", "-", "0", "/", "\\", "?", "%"), { maxLength: 40 })
  .map((chars) => chars.join(""));

const literal: fc.Arbitrary<string> = fc.oneof(
  glob.map((g) => `"${g.replace(/["\\]/g, "\\$&")}"`),
  fc.constantFrom(
    "IN_PROGRESS",
    "SUCCEEDED",
    "FAILED",
    "TERMINATED",
    "STATE_UNSPECIFIED",
    "7",
    "-1",
    "1e999",
    "true",
    '"2025-03-01T00:00:00Z"',
    '"2025-13-45T99:99:99Z"',
    "2025-03-01T00:00:00Z",
    '"',
    "'x'",
    "*",
    "(",
  ),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double().map(String),
);

const term: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...FILTER_FIELDS),
    fc.constantFrom("=", "!=", "<", "<=", ">", ">=", ":", "==", "=~", " "),
    literal,
  )
  .map(([field, op, value]) => `${field} ${op} ${value}`);

/** Filters: grammatical trees of terms, star-heavy name globs, and plain junk. */
const filter: fc.Arbitrary<string> = fc.oneof(
  fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      term,
      tie("expr").map((e) => `NOT ${e}`),
      tie("expr").map((e) => `-${e}`),
      tie("expr").map((e) => `(${e})`),
      fc
        .tuple(tie("expr"), fc.constantFrom(" AND ", " OR ", " ", " and ", " AND NOT "), tie("expr"))
        .map(([a, op, b]) => `${a}${op}${b}`),
    ),
  })).expr,
  fc
    .tuple(
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom("X", "", "a", "*X*"),
      fc.constantFrom("name", "uid", "jobId"),
    )
    .map(([stars, tail, field]) => `${field}="${"*".repeat(stars)}${tail}"`),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("(".repeat(500), `${"NOT ".repeat(400)}state="FAILED"`, `name="${"*a".repeat(500)}"`),
);

const ORDER_FIELDS = [
  "createTime",
  "create_time",
  "name",
  "state",
  "startTime",
  "endTime",
  "jobId",
  "nope",
  "deployJobRun.build",
  "",
];
const orderBy: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc
        .tuple(
          fc.constantFrom(...ORDER_FIELDS),
          fc.constantFrom("", " desc", " asc", " DESC", " up", "  desc  "),
        )
        .map(([f, d]) => `${f}${d}`),
      { maxLength: 6 },
    )
    .map((items) => items.join(",")),
  fc.string({ maxLength: 60 }),
);

/** Page tokens: junk, base64-ish junk, and real tokens with a byte changed. */
const pageToken = (realTokens: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.base64String({ maxLength: 200 }),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,300}$/),
    ...(realTokens.length === 0
      ? []
      : [
          fc
            .tuple(fc.constantFrom(...realTokens), fc.nat(), fc.constantFrom("A", "_", "-", "=", "%", ""))
            .map(([token, at, c]) => {
              const i = at % Math.max(1, token.length);
              return `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
            }),
          fc.constantFrom(...realTokens).map((t) => `${t}${t}`),
        ]),
  );

const pageSize = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.constantFrom("", "1e3", "0x10", "9999999999999999999999", "-0", "1.5", "NaN", " 5", "5 "),
);

/** A query string: list parameters, system parameters, inherited names, repeats, broken escapes. */
const query = (realTokens: readonly string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        filter.map((v) => ["filter", v] as const),
        orderBy.map((v) => ["orderBy", v] as const),
        pageToken(realTokens).map((v) => ["pageToken", v] as const),
        pageSize.map((v) => ["pageSize", v] as const),
        fc.constantFrom(
          ["$alt", "json;enum-encoding=int"] as const,
          ["alt", "json"] as const,
          ["prettyPrint", "false"] as const,
          ["page_size", "3"] as const,
          ["constructor", "1"] as const,
          ["__proto__", "1"] as const,
          ["fields", "name"] as const,
          ["key", "AIza"] as const,
        ),
        fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
      ),
      { maxLength: 5 },
    )
    .chain((pairs) =>
      fc
        .boolean()
        .map((encodeAll) =>
          pairs
            .map(([k, v]) =>
              encodeAll ? `${encode(k)}=${encode(v)}` : `${raw(k)}=${raw(v).replace(/[#?]/g, "")}`,
            )
            .join("&"),
        ),
    );

/** GET listings with hostile queries: filters, orderBy, page tokens and sizes. */
export const hostileList = (realTokens: readonly string[]): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      fc.constantFrom(rollouts.bulk, rollouts.webRel1, rollouts.apiRel1, rollouts.empty),
      query(realTokens),
    )
    .map(([parent, q]) => ({ method: "GET", target: `/v1/${parent}/jobRuns?${q}`, headers: {} }));

/**
 * A listing with a filter alone (and perhaps an orderBy), so it is evaluated against every run of
 * the rollout instead of being refused first for another parameter: the ReDoS hunt.
 */
export const hostileFilter: fc.Arbitrary<HostileRequest> = fc
  .tuple(filter, fc.option(orderBy, { nil: undefined }))
  .map(([f, o]) => ({
    method: "GET",
    target: `/v1/${rollouts.bulk}/jobRuns?filter=${encode(f)}${o === undefined ? "" : `&orderBy=${encode(o)}`}`,
    headers: {},
  }));

/** Any method on hostile paths, with or without a query. */
export const hostilePath = (realTokens: readonly string[]): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      fc.constantFrom("GET", "GET", "GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"),
      path,
      fc.option(query(realTokens), { nil: undefined }),
    )
    .map(([method, p, q]) => ({
      method,
      target: q === undefined ? p : `${p}?${q}`,
      headers: method === "POST" ? { "content-type": "application/json" } : {},
      ...(method === "POST" ? { body: "{}" } : {}),
    }));

/** Terminate bodies: any JSON, near-misses of the message, junk text, odd content types. */
export const hostileTerminate = (runNames: readonly string[]): fc.Arbitrary<HostileRequest> => {
  const body = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc
      .record(
        {
          name: fc.oneof(fc.constantFrom(...runNames), fc.string({ maxLength: 30 })),
          overrideDeployPolicy: fc.oneof(
            fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }),
            fc.array(
              fc.stringMatching(
                /^projects\/[a-z]{1,8}\/locations\/[a-z0-9-]{1,12}\/deployPolicies\/[a-z-]{1,10}$/,
              ),
              { maxLength: 3 },
            ),
            fc.anything({ maxDepth: 1 }),
          ),
          requestId: fc.string({ maxLength: 10 }),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc.constantFrom(
      "",
      " ",
      "{}",
      "null",
      "[]",
      '{"__proto__":{"x":1}}',
      '{"constructor":{}}',
      "{".repeat(2000),
    ),
  );
  return fc
    .tuple(
      fc.constantFrom(...runNames),
      body,
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "",
        "application/JSON",
      ),
    )
    .map(([name, text, type]) => ({
      method: "POST",
      target: `/v1/${name}:terminate`,
      headers: type === "" ? {} : { "content-type": type },
      body: text,
    }));
};

/** Sends one request with its target byte for byte, over a keep-alive agent. */
export function send(base: URL, agent: Agent, req: HostileRequest, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      agent,
      hostname: base.hostname,
      port: base.port,
      method: req.method,
      path: req.target,
      headers: {
        ...req.headers,
        ...(req.body === undefined ? {} : { "content-length": String(Buffer.byteLength(req.body)) }),
      },
      timeout: timeoutMs,
    });
    outgoing.on("timeout", () => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      // A watch (`…/jobRuns:watch`) answers with an event stream that never ends by itself: its
      // status and headers are the answer, and the connection is let go.
      if ((response.headers["content-type"] ?? "").startsWith("text/event-stream")) {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: "",
          ms: performance.now() - started,
        });
        outgoing.destroy();
        return;
      }
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          ms: performance.now() - started,
        }),
      );
      response.on("error", reject);
    });
    outgoing.end(req.body);
  });
}

export const keepAliveAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * What every answer must be: not a 5xx; an error is a google.rpc.Status whose code is the HTTP
 * status; every answer carries a request id; and it came within `boundMs`. Returns the broken
 * promise, or undefined.
 */
export function brokenPromise(req: HostileRequest, answer: Answer, boundMs: number): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.ms > boundMs) return `took ${Math.round(answer.ms)} ms (bound ${boundMs} ms)`;
  if (typeof answer.headers["x-request-id"] !== "string") return "no x-request-id";
  if (answer.status >= 400 && req.method !== "HEAD") {
    let status: unknown;
    try {
      status = (JSON.parse(answer.body) as { error?: unknown }).error;
    } catch {
      return `an error that is not JSON: ${answer.body.slice(0, 200)}`;
    }
    const e = status as { code?: unknown; status?: unknown; message?: unknown } | undefined;
    if (
      e?.code !== answer.status ||
      typeof e.status !== "string" ||
      typeof e.message !== "string" ||
      e.message === ""
    ) {
      return `an error that is not a google.rpc.Status: ${answer.body.slice(0, 200)}`;
    }
    if (/\n\s+at /.test(e.message)) return "a stack trace in the message";
  }
  return undefined;
}
