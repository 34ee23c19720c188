import { readFile } from "node:fs/promises";
import { ApiError } from "@jobrun/core";

/**
 * Reads an import document from a JSON file. The document itself is validated by importJobRuns /
 * createEmulator({ jobRuns }); this only turns file problems into errors that say what is wrong:
 * NOT_FOUND for a missing file, PERMISSION_DENIED for an unreadable one, INVALID_ARGUMENT for one
 * that is not JSON (with the parser's reason).
 */
export async function loadJobRunsFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ApiError("NOT_FOUND", `job runs file ${path} does not exist`, { cause });
    if (code === "EACCES" || code === "EPERM") {
      throw new ApiError("PERMISSION_DENIED", `job runs file ${path} cannot be read (permission denied)`, {
        cause,
      });
    }
    if (code === "EISDIR")
      throw new ApiError("INVALID_ARGUMENT", `job runs file ${path} is a directory`, { cause });
    throw new ApiError("UNKNOWN", `job runs file ${path} cannot be read: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (text.trim() === "")
    throw new ApiError("INVALID_ARGUMENT", `job runs file ${path} is empty; expected {"jobRuns":[…]}`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ApiError("INVALID_ARGUMENT", `job runs file ${path} is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}
