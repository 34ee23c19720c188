// Every failure reaches the user as one sentence of what went wrong and one of how to fix it;
// never a stack trace.
import { isApiError } from "@jobrun/core";

/** Exit codes of `jobrun`, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** An API error not covered below (the server refused the request). */
  failed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** UNAUTHENTICATED or PERMISSION_DENIED. */
  auth: 3,
  /** The endpoint could not be reached or did not answer in time. */
  unavailable: 4,
  /** The scope (rollout, pipeline, project) does not exist. */
  notFound: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Explained {
  readonly message: string;
  readonly exitCode: ExitCode;
}

/** What the user was doing, for the fix to point at the right thing. */
export type Operation = "list" | "get" | "terminate";

/** One readable line for an error from a backend call, with the fix. */
export function explainError(error: unknown, operation: Operation, endpoint: string | undefined): Explained {
  if (!isApiError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return { message: `Unexpected error: ${text}`, exitCode: ExitCode.failed };
  }
  const where = endpoint === undefined ? "the embedded emulator" : endpoint;
  switch (error.code) {
    case "UNAVAILABLE":
    case "DEADLINE_EXCEEDED":
      return {
        message: `Cannot reach ${where}: ${error.message}. Check --endpoint and that the server (e.g. \`jobrun-proxy\`) is running.`,
        exitCode: ExitCode.unavailable,
      };
    case "UNAUTHENTICATED":
      return {
        message: `Not signed in: ${error.message}. Run \`gcloud auth login\`, set GOOGLE_APPLICATION_CREDENTIALS, or pass --access-token.`,
        exitCode: ExitCode.auth,
      };
    case "PERMISSION_DENIED":
      return {
        message:
          operation === "terminate"
            ? `Permission denied: ${error.message}. Terminating needs clouddeploy.jobRuns.terminate (e.g. roles/clouddeploy.operator).`
            : `Permission denied: ${error.message}. Listing needs clouddeploy.jobRuns.list (e.g. roles/clouddeploy.viewer) on the project.`,
        exitCode: ExitCode.auth,
      };
    case "FAILED_PRECONDITION":
      return {
        message:
          operation === "terminate" ? `Cannot terminate: ${error.message}.` : `Refused: ${error.message}.`,
        exitCode: ExitCode.failed,
      };
    case "NOT_FOUND":
      return {
        message:
          operation === "list"
            ? `Not found: ${error.message}. Check --project, --region, --delivery-pipeline, --release and --rollout.`
            : `Not found: ${error.message}; it may have been deleted (r refreshes the list).`,
        exitCode: ExitCode.notFound,
      };
    case "INVALID_ARGUMENT":
      return {
        message: `The server refused the request: ${error.message}. Check the filter, sort and scope flags (a server may not accept "-" wildcards in every segment).`,
        exitCode: ExitCode.failed,
      };
    default:
      return { message: `${error.code}: ${error.message}`, exitCode: ExitCode.failed };
  }
}
