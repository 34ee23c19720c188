import { quote } from "../text/truncate.js";
import { Code, type CodeName, codeFromHttpStatus, httpStatusFromCode, isCodeName } from "./code.js";
import { type ErrorDetail, isErrorDetail } from "./details.js";

/** Options of the ApiError constructor. */
export interface ApiErrorOptions {
  /** google.rpc error details, each the JSON form of an Any (with "@type"). */
  readonly details?: readonly ErrorDetail[];
  /** HTTP status to answer with; defaults to the AIP-193 mapping of the code. */
  readonly httpStatus?: number;
  /** The underlying error (a network failure, a JSON syntax error). Never sent on the wire. */
  readonly cause?: unknown;
}

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
    this.details = options.details ?? [];
    this.httpStatus = options.httpStatus ?? httpStatusFromCode(code);
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
   */
  static fromJson(body: unknown, httpStatus: number): ApiError {
    const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof error !== "object" || error === null) {
      return new ApiError(
        codeFromHttpStatus(httpStatus),
        `HTTP ${httpStatus} with a body that is not a google.rpc.Status`,
        { httpStatus },
      );
    }
    const { message, status, details } = error as { message?: unknown; status?: unknown; details?: unknown };
    const code = isCodeName(status) ? status : codeFromHttpStatus(httpStatus);
    return new ApiError(code, typeof message === "string" ? message : `HTTP ${httpStatus}`, {
      httpStatus,
      details: Array.isArray(details) ? details.filter(isErrorDetail) : [],
    });
  }

  /** Reads an error from the text of an HTTP response body; a non-JSON body is said to be one. */
  static fromResponseText(text: string, httpStatus: number): ApiError {
    if (text.trim() === "") {
      return new ApiError(codeFromHttpStatus(httpStatus), `HTTP ${httpStatus} with an empty body`, {
        httpStatus,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      return new ApiError(
        codeFromHttpStatus(httpStatus),
        `HTTP ${httpStatus} with a body that is not JSON: ${quote(text, 80)}`,
        { httpStatus, cause },
      );
    }
    return ApiError.fromJson(body, httpStatus);
  }
}

/** Whether a value is an ApiError (also across copies of this package). */
export function isApiError(value: unknown): value is ApiError {
  return (
    value instanceof ApiError ||
    (value instanceof Error && value.name === "ApiError" && isCodeName((value as { code?: unknown }).code))
  );
}
