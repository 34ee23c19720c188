import { ApiError, type Clock, systemClock } from "@jobrun/core";
import type { FetchFunction } from "../transport.js";
import { googleServiceUrl } from "../universe.js";
import { type AuthProvider, CLOUD_PLATFORM_SCOPE } from "./auth-provider.js";
import { CredentialFields } from "./credential-fields.js";
import { generateAccessToken } from "./iam-credentials.js";
import { requestAccessToken } from "./oauth-token-endpoint.js";
import { type ReadTextFile, subjectTokenSupplier } from "./subject-token.js";
import { cachedTokenProvider, type TokenCacheOptions } from "./token-cache.js";

export interface ExternalAccountOptions extends TokenCacheOptions {
  /** OAuth scopes of the token; default cloud-platform. */
  readonly scopes?: readonly string[];
  /** Reads `credential_source.file`; Node's fromEnvironment passes node:fs. Without it, only `url` works. */
  readonly readFile?: ReadTextFile;
  /** Where the credentials came from (a path), for messages. */
  readonly location?: string;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/** An AuthProvider that says where its credentials come from (never what they are). */
export interface SourcedAuthProvider extends AuthProvider {
  readonly source: string;
}

const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const WORKFORCE_AUDIENCE = /^\/\/iam\.[^/]+\/locations\/[^/]+\/workforcePools\//;

/**
 * Workload identity federation: an `external_account` credentials file (as text or parsed). The
 * workload's own token (from a file or a URL, see subject-token.ts) is exchanged at Google's STS
 * (RFC 8693 token exchange) for a Google access token, which, when the file names a
 * `service_account_impersonation_url`, buys a service account's token from IAM Credentials.
 * Everything is checked now; errors name the file and the field, never a value.
 */
export function externalAccount(
  credentials: Record<string, unknown> | string,
  options: ExternalAccountOptions = {},
): SourcedAuthProvider {
  const origin = credentialsOrigin(options.location, "external_account");
  return externalAccountFrom(CredentialFields.of(origin, parseJson(credentials, origin)), options);
}

/** externalAccount over fields already read: the whole file, or an impersonation's source_credentials. */
export function externalAccountFrom(
  file: CredentialFields,
  options: ExternalAccountOptions,
): SourcedAuthProvider {
  if (file.optionalString("type") !== "external_account")
    throw file.error("type", 'must be "external_account"');
  const audience = file.string("audience");
  const subjectTokenType = file.string("subject_token_type");
  const universeDomain = file.universeDomain();
  const tokenUrl = file.url("token_url", true) ?? `${googleServiceUrl("sts", universeDomain)}/v1/token`;
  const impersonationUrl = file.url("service_account_impersonation_url", true);
  const lifetimeSeconds =
    file
      .optionalObject("service_account_impersonation")
      ?.optionalInteger("token_lifetime_seconds", 600, 43_200) ?? 3600;
  const clientId = file.optionalString("client_id");
  const clientSecret = file.optionalString("client_secret");
  if (clientSecret !== undefined && clientId === undefined)
    throw file.error("client_id", "is missing (client_secret is set)");
  const clientAuth =
    clientId === undefined ? undefined : basicAuthorization(clientId, clientSecret ?? "", file);
  const userProject = file.optionalString("workforce_pool_user_project");
  if (userProject !== undefined && !WORKFORCE_AUDIENCE.test(audience)) {
    throw file.error(
      "workforce_pool_user_project",
      "is only for workforce pools (an audience of //iam.googleapis.com/locations/…/workforcePools/…)",
    );
  }
  const quotaProject = file.optionalString("quota_project_id");

  const impersonated = impersonationUrl === undefined ? undefined : serviceAccountOf(impersonationUrl);
  const source =
    `external account ${audience}` +
    (impersonated === undefined ? "" : ` impersonating ${impersonated}`) +
    (options.location === undefined ? "" : ` from ${options.location}`);
  const clock = options.clock ?? systemClock;
  const fetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const scopes = options.scopes ?? [CLOUD_PLATFORM_SCOPE];
  const subjectToken = subjectTokenSupplier(file.object("credential_source"), {
    fetch: fetchFunction,
    readFile: options.readFile,
    source,
  });

  const provider = cachedTokenProvider(
    async (signal) => {
      const form = new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        audience,
        // generateAccessToken needs cloud-platform (or iam) on the token that calls it; the scopes
        // asked for are then those of the impersonated token.
        scope: (impersonationUrl === undefined ? scopes : [CLOUD_PLATFORM_SCOPE]).join(" "),
        requested_token_type: ACCESS_TOKEN_TYPE,
        subject_token: await subjectToken(signal),
        subject_token_type: subjectTokenType,
      });
      // Workforce pools bill a project; with a client id, STS knows it from the OAuth client.
      if (userProject !== undefined && clientId === undefined) {
        form.set("options", JSON.stringify({ userProject }));
      }
      const federated = await requestAccessToken(
        {
          fetch: fetchFunction,
          url: tokenUrl,
          init: {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
              ...(clientAuth === undefined ? {} : { authorization: clientAuth }),
            },
            body: form.toString(),
          },
          source,
          now: clock.now(),
          endpointName: "the STS token endpoint",
        },
        signal,
      );
      if (impersonationUrl === undefined) return federated;
      return generateAccessToken(
        {
          fetch: fetchFunction,
          url: impersonationUrl,
          sourceToken: federated.token,
          scopes,
          lifetimeSeconds,
          source,
          now: clock.now(),
        },
        signal,
      );
    },
    { ...options, clock },
  );
  return { ...provider, source, universeDomain, ...(quotaProject === undefined ? {} : { quotaProject }) };
}

/** How messages name a credentials file: "credentials file <location>", or the kind when it has no location. */
export function credentialsOrigin(location: string | undefined, kind: string): string {
  return location === undefined ? `the ${kind} credentials` : `credentials file ${location}`;
}

/** Parses credentials given as text, without ever quoting them in an error. */
export function parseJson(credentials: Record<string, unknown> | string, origin: string): unknown {
  if (typeof credentials !== "string") return credentials;
  try {
    return JSON.parse(credentials);
  } catch {
    // Not the parse error's message: it quotes the text, and the text may hold a secret.
    throw new ApiError("INVALID_ARGUMENT", `${origin} is not JSON`);
  }
}

/** The email in `…/serviceAccounts/<email>:generateAccessToken`, for messages. */
export function serviceAccountOf(impersonationUrl: string): string {
  const match = /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(new URL(impersonationUrl).pathname);
  if (match === null) return "a service account";
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1]!;
  }
}

// RFC 6749 §2.3.1 client authentication, as Google's libraries send it (id and secret as they are).
function basicAuthorization(clientId: string, clientSecret: string, file: CredentialFields): string {
  const pair = `${clientId}:${clientSecret}`;
  // btoa takes Latin-1 only; an OAuth client id or secret never has anything else.
  if (!/^[\x20-\x7e]*$/.test(pair))
    throw file.error("client_id", "and client_secret must be printable ASCII");
  return `Basic ${btoa(pair)}`;
}
