import { systemClock } from "@jobrun/core";
import { CLOUD_PLATFORM_SCOPE } from "./auth-provider.js";
import { CredentialFields } from "./credential-fields.js";
import { type CredentialsOptions, DIRECT_CREDENTIAL_TYPES, directCredentials } from "./direct-credentials.js";
import {
  credentialsOrigin,
  parseJson,
  type SourcedAuthProvider,
  serviceAccountOf,
} from "./external-account.js";
import { generateAccessToken } from "./iam-credentials.js";
import { cachedTokenProvider } from "./token-cache.js";

/**
 * An `impersonated_service_account` credentials file (what `gcloud auth application-default login
 * --impersonate-service-account=…` writes), as text or parsed: the `source_credentials` (a user,
 * a service account key or an external account) buy the target service account's tokens from IAM
 * Credentials' generateAccessToken, through the `delegates` chain if any. Checked now; errors name
 * the file and the field, never a value.
 */
export function impersonatedServiceAccount(
  credentials: Record<string, unknown> | string,
  options: CredentialsOptions = {},
): SourcedAuthProvider {
  const origin = credentialsOrigin(options.location, "impersonated_service_account");
  return impersonatedServiceAccountFrom(CredentialFields.of(origin, parseJson(credentials, origin)), options);
}

/** impersonatedServiceAccount over fields already read. */
export function impersonatedServiceAccountFrom(
  file: CredentialFields,
  options: CredentialsOptions,
): SourcedAuthProvider {
  if (file.optionalString("type") !== "impersonated_service_account") {
    throw file.error("type", 'must be "impersonated_service_account"');
  }
  const url = file.url("service_account_impersonation_url");
  const delegates = file.stringList("delegates");
  const quotaProject = file.optionalString("quota_project_id");
  const universeDomain = file.universeDomain();
  const sourceFields = file.object("source_credentials");
  // generateAccessToken needs cloud-platform (or iam) on the caller's token, whatever the target gets.
  const sourceProvider = directCredentials(sourceFields, { ...options, scopes: [CLOUD_PLATFORM_SCOPE] });
  if (sourceProvider === undefined) {
    throw sourceFields.error(
      "type",
      `must be one of ${DIRECT_CREDENTIAL_TYPES.map((type) => JSON.stringify(type)).join(", ")}`,
    );
  }
  const target = serviceAccountOf(url);
  const source = `service account ${target} impersonated by ${sourceProvider.source}`;
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const scopes = options.scopes ?? [CLOUD_PLATFORM_SCOPE];

  const provider = cachedTokenProvider(
    async (signal) =>
      generateAccessToken(
        {
          fetch: fetchFunction,
          url,
          sourceToken: await sourceProvider.getAccessToken({ signal }),
          scopes,
          delegates,
          lifetimeSeconds: 3600,
          source,
          now: clock.now(),
        },
        signal,
      ),
    { ...options, clock },
  );
  return { ...provider, source, universeDomain, ...(quotaProject === undefined ? {} : { quotaProject }) };
}
