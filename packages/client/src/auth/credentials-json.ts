import { ApiError } from "@jobrun/core";
import { CredentialFields } from "./credential-fields.js";
import { type CredentialsOptions, directCredentials } from "./direct-credentials.js";
import { credentialsOrigin, parseJson, type SourcedAuthProvider } from "./external-account.js";
import { impersonatedServiceAccountFrom } from "./impersonated-service-account.js";

/** The `type`s of credentials file this client reads. */
export const CREDENTIAL_TYPES = [
  "service_account",
  "authorized_user",
  "external_account",
  "impersonated_service_account",
] as const;

/**
 * The provider of any Google credentials file, chosen by its `type` as Application Default
 * Credentials choose: a service account key, user credentials, an external account (workload
 * identity federation) or an impersonated service account. Edge-safe: on Workers, pass the file's
 * text from a secret. Errors name the file and the field, and never quote the file.
 */
export function credentialsFromJson(
  credentials: Record<string, unknown> | string,
  options: CredentialsOptions = {},
): SourcedAuthProvider {
  const origin = credentialsOrigin(options.location, "Google");
  const file = CredentialFields.of(origin, parseJson(credentials, origin));
  if (file.fields.type === "impersonated_service_account")
    return impersonatedServiceAccountFrom(file, options);
  const provider = directCredentials(file, options);
  if (provider !== undefined) return provider;
  const type = file.fields.type;
  throw new ApiError(
    "INVALID_ARGUMENT",
    `${origin} has type ${typeof type === "string" ? JSON.stringify(type.slice(0, 60)) : "missing"}; ` +
      `supported are ${CREDENTIAL_TYPES.map((name) => JSON.stringify(name)).join(", ")}`,
  );
}
