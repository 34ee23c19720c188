import { quote } from "../text/truncate.js";
import { Code, type CodeName, codeFromHttpStatus, httpStatusFromCode, isCodeName } from "./code.js";
import {
  type ErrorDetail,
  errorInfo,
  errorInfoOf,
  isErrorDetail,
  RESOURCE_INFO_TYPE,
  RETRY_INFO_TYPE,
  retryInfo,
} from "./details.js";

/** Options of the ApiError constructor. */
export interface ApiErrorOptions {
  /** google.rpc error details, each the JSON form of an Any (with "@type"). */
  readonly details?: readonly ErrorDetail[];
  /** HTTP status to answer with; defaults to the AIP-193 mapping of the code. */
  readonly httpStatus?: number;
  /** The underlying error (a network failure, a JSON syntax error). Never sent on the wire. */
  readonly cause?: unknown;
  /**
   * The ErrorInfo reason (UPPER_SNAKE_CASE): why, for programs. Default the code's name. Every error
   * gets an ErrorInfo (AIP-193) unless `details` already has one.
   */
  readonly reason?: string;
  /** The ErrorInfo domain: who decided. Default `clouddeploy.googleapis.com`, the service's own. */
  readonly domain?: string;
  /**
   * The ErrorInfo metadata. A `resource` entry is added from a ResourceInfo detail when there is one
   * and no `resource` is given here.
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /**
   * For 429 and 503 (the answers worth retrying): how long to wait, as a RetryInfo detail, unless
   * `details` already has one. Default 1 s.
   */
  readonly retryDelayMs?: number;
  /**
   * Keep `details` exactly as given: an error read from the wire, whose sender decided what it
   * carries. Nothing is added.
   */
  readonly verbatim?: boolean;
}

/** How long a 429 or 503 without a RetryInfo of its own asks the caller to wait. */
const DEFAULT_RETRY_DELAY_MS = 1000;

/** The REST error body of Google APIs: `{"error":{"code","message","status","details"}}`. */
export interface ApiErrorJson {
  readonly error: {
    /** The HTTP status (not the google.rpc code number). */
    readonly code: number;
    readonly message: string;
    readonly status: CodeName;
    readonly details?: readonly ErrorDetail[];
  };
}

/**
 * The one error type of jobrun: a google.rpc.Status with its HTTP status. Every implementation of
 * JobRunService rejects with it, so callers branch on `code` the same way whatever the backend.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** The google.rpc code name, e.g. `"NOT_FOUND"`. */
  readonly code: CodeName;
  readonly details: readonly ErrorDetail[];
  readonly httpStatus: number;

  constructor(code: CodeName, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = options.httpStatus ?? httpStatusFromCode(code);
    this.details =
      options.verbatim === true
        ? (options.details ?? [])
        : completeDetails(code, this.httpStatus, options.details ?? [], options);
  }

  /** The ErrorInfo reason (gax's `err.reason`), e.g. `"RATE_LIMIT_EXCEEDED"`; undefined without one. */
  get reason(): string | undefined {
    const reason = errorInfoOf(this.details)?.reason;
    return typeof reason === "string" ? reason : undefined;
  }

  /** The ErrorInfo domain (gax's `err.domain`), e.g. `"clouddeploy.googleapis.com"`. */
  get domain(): string | undefined {
    const domain = errorInfoOf(this.details)?.domain;
    return typeof domain === "string" ? domain : undefined;
  }

  /** The ErrorInfo metadata (gax's `err.errorInfoMetadata`); empty without one. */
  get errorInfoMetadata(): Readonly<Record<string, string>> {
    const metadata = errorInfoOf(this.details)?.metadata;
    return typeof metadata === "object" && metadata !== null ? (metadata as Record<string, string>) : {};
  }

  /** The google.rpc code number, e.g. `5` for NOT_FOUND. */
  get codeNumber(): number {
    return Code[this.code];
  }

  /** The REST error body. */
  toJSON(): ApiErrorJson {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.code,
        ...(this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }

  /**
   * Reads a REST error body. Anything that is not the google.rpc.Status shape (an HTML error page,
   * an empty body) still gives an ApiError, from the HTTP status, with the reason in its message.
   * The details are the sender's, as sent: nothing is added to an error read from the wire.
   */
  static fromJson(body: unknown, httpStatus: number): ApiError {
    const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof error !== "object" || error === null) {
      return new ApiError(
        codeFromHttpStatus(httpStatus),
        `HTTP ${httpStatus} with a body that is not a google.rpc.Status`,
        { httpStatus, verbatim: true },
      );
    }
    const { message, status, details } = error as { message?: unknown; status?: unknown; details?: unknown };
    const code = isCodeName(status) ? status : codeFromHttpStatus(httpStatus);
    return new ApiError(code, typeof message === "string" ? message : `HTTP ${httpStatus}`, {
      httpStatus,
      details: Array.isArray(details) ? details.filter(isErrorDetail) : [],
      verbatim: true,
    });
  }

  /** Reads an error from the text of an HTTP response body; a non-JSON body is said to be one. */
  static fromResponseText(text: string, httpStatus: number): ApiError {
    if (text.trim() === "") {
      return new ApiError(codeFromHttpStatus(httpStatus), `HTTP ${httpStatus} with an empty body`, {
        httpStatus,
        verbatim: true,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      return new ApiError(
        codeFromHttpStatus(httpStatus),
        `HTTP ${httpStatus} with a body that is not JSON: ${quote(text, 80)}`,
        { httpStatus, cause, verbatim: true },
      );
    }
    return ApiError.fromJson(body, httpStatus);
  }
}

/**
 * The details an error goes out with: those given, then an ErrorInfo (AIP-193: every error has one)
 * unless one was given, then for 429 and 503 a RetryInfo unless one was given.
 */
function completeDetails(
  code: CodeName,
  httpStatus: number,
  given: readonly ErrorDetail[],
  options: ApiErrorOptions,
): readonly ErrorDetail[] {
  const details = [...given];
  if (errorInfoOf(given) === undefined) {
    const metadata: Record<string, string> = {};
    const resource = given.find((detail) => detail["@type"] === RESOURCE_INFO_TYPE)?.resourceName;
    if (typeof resource === "string" && resource !== "") metadata.resource = resource;
    Object.assign(metadata, options.metadata);
    details.push(errorInfo(options.reason ?? code, metadata, options.domain));
  }
  if (
    (httpStatus === 429 || httpStatus === 503) &&
    !given.some((detail) => detail["@type"] === RETRY_INFO_TYPE)
  ) {
    details.push(retryInfo(options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS));
  }
  return details;
}

/** Whether a value is an ApiError (also across copies of this package). */
export function isApiError(value: unknown): value is ApiError {
  return (
    value instanceof ApiError ||
    (value instanceof Error && value.name === "ApiError" && isCodeName((value as { code?: unknown }).code))
  );
}
