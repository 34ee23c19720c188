import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Clock } from "@jobrun/core";
import { ApiError } from "@jobrun/core";
import type { AuthProvider } from "../auth/auth-provider.js";
import { credentialsFromJson } from "../auth/credentials-json.js";
import { metadataServer } from "../auth/metadata-server.js";
import { staticToken } from "../auth/static-token.js";
import type { FetchFunction } from "../transport.js";
import { checkUniverseDomain } from "../universe.js";
import { gcloudCli } from "./gcloud.js";

/** An AuthProvider that says where its credentials come from (never what they are). */
export interface EnvironmentAuthProvider extends AuthProvider {
  /** e.g. `service account ci@p.iam.gserviceaccount.com from GOOGLE_APPLICATION_CREDENTIALS`. */
  readonly source: string;
}

export interface EnvironmentOptions {
  /** The environment to read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The home directory holding ~/.config/gcloud; default os.homedir(). */
  readonly homeDir?: string;
  readonly scopes?: readonly string[];
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

/**
 * Finds credentials the way Google's Application Default Credentials do, in order:
 * 0. a ready access token in GOOGLE_OAUTH_ACCESS_TOKEN (the convention of Terraform's Google provider);
 * 1. the JSON file named by GOOGLE_APPLICATION_CREDENTIALS: a service account key, user credentials,
 *    an external account (workload identity federation) or an impersonated service account;
 * 2. gcloud's application-default file (`gcloud auth application-default login`), any of those kinds;
 * 3. the gcloud CLI on PATH (`gcloud auth print-access-token`);
 * 4. the metadata server (GCE, Cloud Run, GKE), at GCE_METADATA_HOST if that is set.
 * GOOGLE_CLOUD_QUOTA_PROJECT names the project billed for quota (over the file's quota_project_id),
 * and GOOGLE_CLOUD_UNIVERSE_DOMAIN the universe, which the credentials must belong to.
 */
export async function fromEnvironment(options: EnvironmentOptions = {}): Promise<EnvironmentAuthProvider> {
  const env = options.env ?? process.env;
  return withEnvironmentSettings(await findCredentials(env, options), env);
}

async function findCredentials(
  env: Readonly<Record<string, string | undefined>>,
  options: EnvironmentOptions,
): Promise<EnvironmentAuthProvider> {
  const common = {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
  const fileOptions = {
    ...common,
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    // An external account's subject token file is read again at every exchange (it is rotated).
    readFile: (path: string) => readFile(path, "utf8"),
  };
  const accessToken = nonEmpty(env.GOOGLE_OAUTH_ACCESS_TOKEN);
  if (accessToken !== undefined) {
    return { ...staticToken(accessToken), source: "access token in GOOGLE_OAUTH_ACCESS_TOKEN" };
  }
  const explicit = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (explicit !== undefined && explicit !== "") {
    const text = await readCredentialsFile(explicit, "GOOGLE_APPLICATION_CREDENTIALS");
    return credentialsFromJson(text, {
      ...fileOptions,
      location: `${explicit} (GOOGLE_APPLICATION_CREDENTIALS)`,
    });
  }
  const adcFile = join(
    gcloudConfigDir(env, options.homeDir ?? homedir()),
    "application_default_credentials.json",
  );
  if (await isReadable(adcFile)) {
    const text = await readCredentialsFile(adcFile, "gcloud's application default credentials");
    return credentialsFromJson(text, { ...fileOptions, location: adcFile });
  }
  const gcloud = await findOnPath(process.platform === "win32" ? "gcloud.cmd" : "gcloud", env.PATH ?? "");
  if (gcloud !== undefined) {
    return { ...gcloudCli({ command: gcloud, ...common }), source: `gcloud CLI at ${gcloud}` };
  }
  const host = env.GCE_METADATA_HOST;
  const endpoint = host === undefined || host === "" ? undefined : `http://${host}`;
  const provider = metadataServer({
    ...common,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
  });
  return {
    source: `metadata server${endpoint === undefined ? "" : ` at ${endpoint}`}`,
    invalidate: (refusedToken) => provider.invalidate?.(refusedToken),
    async getAccessToken(callOptions) {
      try {
        return await provider.getAccessToken(callOptions);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== "UNAVAILABLE") throw error;
        // The last resort failed: say everything that was tried, which is what the user needs to fix.
        throw new ApiError(
          "UNAUTHENTICATED",
          "no Google credentials found: GOOGLE_APPLICATION_CREDENTIALS is not set, there is no " +
            `${adcFile}, gcloud is not on PATH, and the metadata server did not answer`,
          { cause: error },
        );
      }
    },
  };
}

/** Applies GOOGLE_CLOUD_QUOTA_PROJECT and GOOGLE_CLOUD_UNIVERSE_DOMAIN to the credentials found. */
function withEnvironmentSettings(
  provider: EnvironmentAuthProvider,
  env: Readonly<Record<string, string | undefined>>,
): EnvironmentAuthProvider {
  const quotaProject = nonEmpty(env.GOOGLE_CLOUD_QUOTA_PROJECT) ?? provider.quotaProject;
  const requested = nonEmpty(env.GOOGLE_CLOUD_UNIVERSE_DOMAIN);
  let universeDomain = provider.universeDomain;
  if (requested !== undefined) {
    const domain = checkUniverseDomain(requested, "GOOGLE_CLOUD_UNIVERSE_DOMAIN");
    if (universeDomain !== undefined && universeDomain !== domain) {
      throw new ApiError(
        "INVALID_ARGUMENT",
        `GOOGLE_CLOUD_UNIVERSE_DOMAIN is ${JSON.stringify(domain)}, but the credentials (${provider.source}) ` +
          `belong to ${JSON.stringify(universeDomain)}`,
      );
    }
    universeDomain = domain;
  }
  return {
    ...provider,
    ...(quotaProject === undefined ? {} : { quotaProject }),
    ...(universeDomain === undefined ? {} : { universeDomain }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

async function readCredentialsFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ApiError("INVALID_ARGUMENT", `${what} names ${path}, which cannot be read (${code})`, {
      cause,
    });
  }
}

function gcloudConfigDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (env.CLOUDSDK_CONFIG) return env.CLOUDSDK_CONFIG;
  if (process.platform === "win32" && env.APPDATA) return join(env.APPDATA, "gcloud");
  return join(home, ".config", "gcloud");
}

async function isReadable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(command: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
