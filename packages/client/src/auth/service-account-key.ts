import { ApiError } from "@jobrun/core";

/** The fields of a service-account JSON key file that the JWT-bearer flow uses. */
export interface ServiceAccountKey {
  readonly type: "service_account";
  readonly client_email: string;
  /** PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  readonly private_key: string;
  readonly private_key_id?: string;
  readonly token_uri?: string;
  readonly project_id?: string;
  /** The project billed for quota (sent as x-goog-user-project). */
  readonly quota_project_id?: string;
  /** The universe the account lives in; default "googleapis.com". */
  readonly universe_domain?: string;
}

/**
 * Reads and checks a key file's content. Every error names the missing or wrong field and never
 * quotes the file: a JSON syntax error's own message would echo bytes of the private key.
 */
export function parseServiceAccountKey(
  key: ServiceAccountKey | string,
  origin = "the service account key",
): ServiceAccountKey {
  let value: unknown = key;
  if (typeof key === "string") {
    try {
      value = JSON.parse(key);
    } catch {
      throw new ApiError(
        "INVALID_ARGUMENT",
        `${origin} is not JSON (expected the JSON key file created in IAM)`,
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("INVALID_ARGUMENT", `${origin} is not a JSON object`);
  }
  const fields = value as Record<string, unknown>;
  if (fields.type !== "service_account") {
    const type = typeof fields.type === "string" ? JSON.stringify(fields.type) : "missing";
    throw new ApiError("INVALID_ARGUMENT", `${origin} has type ${type}, expected "service_account"`);
  }
  for (const name of ["client_email", "private_key"] as const) {
    if (typeof fields[name] !== "string" || fields[name] === "") {
      throw new ApiError("INVALID_ARGUMENT", `${origin} has no ${name}`);
    }
  }
  if (!(fields.private_key as string).includes("-----BEGIN PRIVATE KEY-----")) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `${origin}: private_key of ${fields.client_email as string} is not a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----)`,
    );
  }
  for (const name of [
    "private_key_id",
    "token_uri",
    "project_id",
    "quota_project_id",
    "universe_domain",
  ] as const) {
    if (fields[name] !== undefined && typeof fields[name] !== "string") {
      throw new ApiError("INVALID_ARGUMENT", `${origin}: ${name} must be a string`);
    }
  }
  return fields as unknown as ServiceAccountKey;
}
