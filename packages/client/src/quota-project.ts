import { ApiError } from "@jobrun/core";

/** The header that names the project billed for a call's quota, when not the credentials' own. */
export const QUOTA_PROJECT_HEADER = "x-goog-user-project";

/** Checks a quota project (an id such as "my-project", or a number) before it becomes a header. */
export function checkQuotaProject(project: string, where: string): string {
  if (typeof project !== "string" || !/^[\x21-\x7e]{1,100}$/.test(project)) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `${where} must be a project id or number (printable, no spaces, at most 100 characters)`,
    );
  }
  return project;
}
