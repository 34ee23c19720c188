/**
 * google.rpc.Code: the canonical error codes of Google APIs, with their numbers.
 * A plain object rather than a TS enum so that it stays tree-shakeable and readable in JSON.
 */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** The name of a google.rpc.Code, e.g. `"NOT_FOUND"`: what the `status` field of a REST error holds. */
export type CodeName = keyof typeof Code;

/** The number of a google.rpc.Code, e.g. `5`. */
export type CodeNumber = (typeof Code)[CodeName];

const namesByNumber = new Map<number, CodeName>(
  (Object.keys(Code) as CodeName[]).map((name) => [Code[name], name]),
);

/** The name of a code number; `undefined` for a number that is not a google.rpc.Code. */
export function codeName(code: number): CodeName | undefined {
  return namesByNumber.get(code);
}

/** Whether `name` is the name of a google.rpc.Code. */
export function isCodeName(name: unknown): name is CodeName {
  return typeof name === "string" && Object.hasOwn(Code, name);
}

/** AIP-193: the HTTP status a REST API answers with for each code. */
const httpStatusByCode: Readonly<Record<CodeName, number>> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

/** The HTTP status for a code (AIP-193). */
export function httpStatusFromCode(code: CodeName): number {
  return httpStatusByCode[code];
}

/**
 * The code for an HTTP status when the body carries none (a proxy's or load balancer's error page).
 * Several codes share one status (400 is also FAILED_PRECONDITION and OUT_OF_RANGE); a bare status
 * can only give the most common one.
 */
export function codeFromHttpStatus(status: number): CodeName {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ABORTED";
    case 412:
      return "FAILED_PRECONDITION";
    case 416:
      return "OUT_OF_RANGE";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 499:
      return "CANCELLED";
    case 501:
      return "UNIMPLEMENTED";
    case 502:
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      if (status >= 400 && status < 500) return "FAILED_PRECONDITION";
      if (status >= 500 && status < 600) return status === 500 ? "INTERNAL" : "UNKNOWN";
      return "UNKNOWN";
  }
}
