import { ApiError } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import type { CredentialFields } from "./credential-fields.js";

/**
 * Where an external account's subject token (the workload's own OIDC or SAML token: a Kubernetes
 * service-account token, a GitHub Actions OIDC token, an Azure managed-identity token) comes from.
 * It is read again at every exchange, because such tokens are short-lived and rotated in place.
 */
export type SubjectTokenSupplier = (signal: AbortSignal) => Promise<string>;

/** Reads a file as UTF-8 text; Node's fromEnvironment passes one, the edge has no file system. */
export type ReadTextFile = (path: string) => Promise<string>;

export interface SubjectTokenContext {
  readonly fetch: FetchFunction;
  readonly readFile: ReadTextFile | undefined;
  /** Who asks, for messages: "external account … from credentials file …". */
  readonly source: string;
}

/**
 * The supplier a `credential_source` describes: `file` or `url` (with `headers`), and a `format` of
 * `{"type": "text"}` (the default) or `{"type": "json", "subject_token_field_name": "…"}`. The kinds
 * this client does not implement (AWS `environment_id`, `executable`, `certificate`) are refused here,
 * by name, rather than failing at the first call.
 */
export function subjectTokenSupplier(
  source: CredentialFields,
  context: SubjectTokenContext,
): SubjectTokenSupplier {
  for (const unsupported of ["environment_id", "executable", "certificate"] as const) {
    if (source.has(unsupported)) {
      const kind = unsupported === "environment_id" ? "AWS" : unsupported;
      throw source.error(
        unsupported,
        `(${kind}-sourced subject tokens) is not supported by @jobrun/client; supported are "file" and "url"`,
      );
    }
  }
  const hasFile = source.has("file");
  const hasUrl = source.has("url");
  if (hasFile === hasUrl) {
    throw source.errorHere(hasFile ? 'has both "file" and "url"; set one' : 'must have "file" or "url"');
  }
  const read = subjectTokenFormat(source);
  if (hasFile) {
    const path = source.string("file");
    const readFile = context.readFile;
    if (readFile === undefined) {
      throw source.error(
        "file",
        "needs a file system: on Node, load these credentials with fromEnvironment() from @jobrun/client/node",
      );
    }
    const what = `the subject token file ${path} (${source.path}.file)`;
    return async () => {
      let text: string;
      try {
        text = await readFile(path);
      } catch (cause) {
        const code = (cause as { code?: unknown }).code;
        throw new ApiError(
          "UNAUTHENTICATED",
          `${context.source}: ${what} cannot be read${typeof code === "string" ? ` (${code})` : ""}`,
        );
      }
      return read(text, `${context.source}: ${what}`);
    };
  }
  const url = source.url("url");
  const headers = source.stringMap("headers");
  const what = `the subject token URL (${source.path}.url)`;
  return async (signal) => {
    let response: Response;
    let text: string;
    try {
      response = await context.fetch(url, { method: "GET", headers, signal });
      text = await response.text();
    } catch (cause) {
      if (signal.aborted) throw signal.reason;
      throw new ApiError("UNAVAILABLE", `${context.source}: could not reach ${what}`, { cause });
    }
    if (!response.ok) {
      const code = response.status >= 500 || response.status === 429 ? "UNAVAILABLE" : "UNAUTHENTICATED";
      throw new ApiError(code, `${context.source}: ${what} answered HTTP ${response.status}`);
    }
    return read(text, `${context.source}: ${what}`);
  };
}

/** Reads the token out of a file's or an answer's text. Messages never quote the text. */
function subjectTokenFormat(source: CredentialFields): (text: string, what: string) => string {
  const format = source.optionalObject("format");
  const type = format?.optionalString("type") ?? "text";
  if (type === "text") {
    return (text, what) => {
      // A JWT or SAML assertion has no surrounding whitespace; a trailing newline in a file does.
      const token = text.trim();
      if (token === "") throw new ApiError("UNAUTHENTICATED", `${what} is empty`);
      return token;
    };
  }
  if (type !== "json" || format === undefined) {
    throw source.error("format.type", 'must be "text" or "json"');
  }
  const field = format.string("subject_token_field_name");
  return (text, what) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError("UNAUTHENTICATED", `${what} is not JSON (${source.path}.format.type is "json")`);
    }
    const token =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined;
    if (typeof token !== "string" || token === "") {
      throw new ApiError(
        "UNAUTHENTICATED",
        `${what} has no non-empty string field ${JSON.stringify(field)} (${source.path}.format.subject_token_field_name)`,
      );
    }
    return token;
  };
}
