import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Clock } from "@jobrun/core";
import { ApiError } from "@jobrun/core";
import type { AuthProvider } from "../auth/auth-provider.js";
import { type AuthorizedUserCredentials, authorizedUser } from "../auth/authorized-user.js";
import { metadataServer } from "../auth/metadata-server.js";
import { serviceAccountKey } from "../auth/service-account.js";
import type { ServiceAccountKey } from "../auth/service-account-key.js";
import type { FetchFunction } from "../transport.js";
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
 * 1. the JSON file named by GOOGLE_APPLICATION_CREDENTIALS (service account key or user credentials);
 * 2. gcloud's application-default file (`gcloud auth application-default login`);
 * 3. the gcloud CLI on PATH (`gcloud auth print-access-token`);
 * 4. the metadata server (GCE, Cloud Run, GKE), at GCE_METADATA_HOST if that is set.
 */
export async function fromEnvironment(options: EnvironmentOptions = {}): Promise<EnvironmentAuthProvider> {
  const env = options.env ?? process.env;
  const common = {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
  const explicit = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (explicit !== undefined && explicit !== "") {
    const text = await readCredentialsFile(explicit, "GOOGLE_APPLICATION_CREDENTIALS");
    return credentialsFromJson(text, `${explicit} (GOOGLE_APPLICATION_CREDENTIALS)`, options, common);
  }
  const adcFile = join(
    gcloudConfigDir(env, options.homeDir ?? homedir()),
    "application_default_credentials.json",
  );
  if (await isReadable(adcFile)) {
    const text = await readCredentialsFile(adcFile, "gcloud's application default credentials");
    return credentialsFromJson(text, adcFile, options, common);
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

function credentialsFromJson(
  text: string,
  origin: string,
  options: EnvironmentOptions,
  common: { fetch?: FetchFunction; clock?: Clock },
): EnvironmentAuthProvider {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parse error's message: it quotes the file, and the file holds a private key.
    throw new ApiError("INVALID_ARGUMENT", `credentials file ${origin} is not JSON`);
  }
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  if (type === "service_account") {
    const key = value as ServiceAccountKey;
    const provider = serviceAccountKey(key, {
      ...common,
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    });
    return { ...provider, source: `service account ${key.client_email} from ${origin}` };
  }
  if (type === "authorized_user") {
    return {
      ...authorizedUser(value as AuthorizedUserCredentials, common),
      source: `user credentials from ${origin}`,
    };
  }
  throw new ApiError(
    "INVALID_ARGUMENT",
    `credentials file ${origin} has type ${typeof type === "string" ? JSON.stringify(type) : "missing"}; ` +
      `supported are "service_account" and "authorized_user"`,
  );
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
