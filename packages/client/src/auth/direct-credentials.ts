import type { Clock } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import { type AuthorizedUserCredentials, authorizedUser } from "./authorized-user.js";
import type { CredentialFields } from "./credential-fields.js";
import { externalAccountFrom, type SourcedAuthProvider } from "./external-account.js";
import { serviceAccountKey } from "./service-account.js";
import { parseServiceAccountKey } from "./service-account-key.js";
import type { ReadTextFile } from "./subject-token.js";
import type { TokenCacheOptions } from "./token-cache.js";

/** What every kind of credentials file needs besides its content. */
export interface CredentialsOptions extends TokenCacheOptions {
  /** OAuth scopes of the tokens; default cloud-platform. (User credentials keep their own.) */
  readonly scopes?: readonly string[];
  /** Where the JSON came from (a path), for messages and `source`. */
  readonly location?: string;
  /** Reads an external account's `credential_source.file`; Node's fromEnvironment passes node:fs. */
  readonly readFile?: ReadTextFile;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** The kinds of credentials that hold their own identity (anything but an impersonation). */
export const DIRECT_CREDENTIAL_TYPES = ["service_account", "authorized_user", "external_account"] as const;

/**
 * The provider of a credentials object whose `type` is one of DIRECT_CREDENTIAL_TYPES, or
 * undefined for any other type. `fields` is the whole file or an impersonation's source_credentials.
 */
export function directCredentials(
  fields: CredentialFields,
  options: CredentialsOptions,
): SourcedAuthProvider | undefined {
  const type = fields.fields.type;
  const from = options.location === undefined ? "" : ` from ${options.location}`;
  const where = fields.path === "" ? fields.origin : `${fields.origin}: ${fields.path}`;
  if (type === "service_account") {
    const key = parseServiceAccountKey(fields.fields as never, where);
    const provider = serviceAccountKey(key, options);
    return { ...provider, source: `service account ${key.client_email}${from}` };
  }
  if (type === "authorized_user") {
    // Checked here, where the file can be named; authorizedUser's own messages cannot name it.
    for (const name of ["client_id", "client_secret", "refresh_token"]) fields.string(name);
    fields.optionalString("quota_project_id");
    if (fields.universeDomain() !== "googleapis.com") {
      throw fields.error(
        "universe_domain",
        "must be googleapis.com: user credentials exist in no other universe",
      );
    }
    const { scopes: _userCredentialsKeepTheirScopes, ...rest } = options;
    const provider = authorizedUser(fields.fields as unknown as AuthorizedUserCredentials, rest);
    return { ...provider, source: `user credentials${from}` };
  }
  if (type === "external_account") return externalAccountFrom(fields, options);
  return undefined;
}
