// Hostile requests with a known right answer, shared by the Node tests (hostile.test.ts) and the
// Worker's (workerd.test.ts): paths that must be refused with a 4xx, and terminate bodies that must
// be refused with a 400 naming the problem.

/** [what it is, the path and query as sent], for a rollout path `base` ("/v1/…/rollouts/x") and a run name. */
export function hostilePaths(base: string, run: string): [string, string][] {
  return [
    ["an encoded slash", `${base}/jobRuns/a%2Fb`],
    [
      "an encoded slash in a parent segment",
      `/v1/projects/conformance%2F..%2Fother/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x`,
    ],
    ["a dot-dot segment", `${base}/jobRuns/..`],
    ["an encoded dot-dot segment", `${base}/jobRuns/%2e%2e`],
    [
      "a traversal out of the project",
      `/v1/projects/conformance/../other/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x`,
    ],
    ["a NUL", `${base}/jobRuns/a%00b`],
    ["malformed percent-encoding", `${base}/jobRuns/%zz`],
    ["non-ASCII", `${base}/jobRuns/%C3%A9`],
    ["an empty segment", `/v1/projects//locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x`],
    ["a wildcard job run", `${base}/jobRuns/-`],
    ["a 63+ character segment", `${base}/jobRuns/${"a".repeat(100)}`],
    ["an unknown query parameter", `${base}/jobRuns?evil=1`],
    ["a repeated query parameter", `${base}/jobRuns?pageSize=1&pageSize=2`],
    ["a non-numeric page size", `${base}/jobRuns?pageSize=lots`],
    ["a bad filter", `${base}/jobRuns?filter=${encodeURIComponent('state=="')}`],
    // Names every object inherits: a parameter table read without own-key checks takes them.
    ...["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"].flatMap(
      (key): [string, string][] => [
        [`?${key}= on a get`, `/v1/${run}?${key}=1`],
        [`?${key}= on a list`, `${base}/jobRuns?${key}=1`],
      ],
    ),
  ];
}

export interface HostileBody {
  readonly body: string | Uint8Array;
  readonly headers?: Record<string, string>;
  /** The google.rpc code of the refusal (always HTTP 400). */
  readonly code: "INVALID_ARGUMENT";
  /** What the message must say. */
  readonly message: RegExp;
}

/** Terminate bodies refused with 400 INVALID_ARGUMENT. */
export const HOSTILE_BODIES: readonly HostileBody[] = [
  { body: "{", code: "INVALID_ARGUMENT", message: /not JSON/ },
  { body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), code: "INVALID_ARGUMENT", message: /UTF-8/ },
  { body: '{"overrideDeployPolicy":[],"force":true}', code: "INVALID_ARGUMENT", message: /force/ },
  { body: '{"overrideDeployPolicy":"x"}', code: "INVALID_ARGUMENT", message: /overrideDeployPolicy/ },
  { body: "[]", code: "INVALID_ARGUMENT", message: /./ },
  {
    body: '{"name":"projects/x/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/j"}',
    code: "INVALID_ARGUMENT",
    message: /differs/,
  },
  {
    body: "overrideDeployPolicy=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    code: "INVALID_ARGUMENT",
    message: /application\/json/,
  },
];
