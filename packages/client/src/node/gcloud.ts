import { execFile } from "node:child_process";
import { ApiError, type Clock, systemClock } from "@jobrun/core";
import type { AuthProvider } from "../auth/auth-provider.js";
import { type AccessToken, cachedTokenProvider, type TokenCacheOptions } from "../auth/token-cache.js";

export interface GcloudOptions extends TokenCacheOptions {
  /** The gcloud executable; default `gcloud` on PATH (`gcloud.cmd` on Windows). */
  readonly command?: string;
  /** Extra arguments, e.g. `["--account=me@example.com"]` or an impersonation flag. */
  readonly extraArgs?: readonly string[];
  /**
   * How long a token is assumed to live when gcloud does not say. gcloud hands out its cached token,
   * which may be part-used; a short guess plus the retry on 401 keeps calls working.
   */
  readonly assumedLifetimeMs?: number;
  readonly clock?: Clock;
}

/** Tokens from `gcloud auth print-access-token`: the developer's own login. Node only. */
export function gcloudCli(options: GcloudOptions = {}): AuthProvider {
  const clock = options.clock ?? systemClock;
  const command = options.command ?? (process.platform === "win32" ? "gcloud.cmd" : "gcloud");
  const args = ["auth", "print-access-token", "--format=json", ...(options.extraArgs ?? [])];
  const assumedLifetimeMs = options.assumedLifetimeMs ?? 10 * 60_000;
  return cachedTokenProvider(
    (signal) =>
      new Promise<AccessToken>((resolve, reject) => {
        execFile(
          command,
          args,
          // Node refuses to run a .cmd without a shell on Windows.
          { signal, timeout: 30_000, windowsHide: true, shell: process.platform === "win32" },
          (error, stdout, stderr) => {
            if (signal.aborted) return reject(signal.reason);
            if (error !== null) {
              const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
              // stderr is gcloud's advice ("run gcloud auth login"); it never holds the token.
              const detail = missing
                ? `${command} was not found on PATH`
                : firstLine(stderr) || error.message;
              return reject(
                new ApiError("UNAUTHENTICATED", `gcloud auth print-access-token failed: ${detail}`),
              );
            }
            const parsed = readGcloudOutput(stdout);
            if (parsed === undefined) {
              return reject(
                new ApiError("UNAUTHENTICATED", "gcloud auth print-access-token printed no token"),
              );
            }
            const now = clock.now();
            resolve({ token: parsed.token, expiresAt: parsed.expiresAt ?? now + assumedLifetimeMs });
          },
        );
      }),
    { ...options, clock },
  );
}

// `--format=json` gives {"token", "token_expiry", …} on current gcloud; older ones print the bare
// token (or a JSON string). All are accepted.
function readGcloudOutput(stdout: string): { token: string; expiresAt: number | undefined } | undefined {
  const text = stdout.trim();
  if (text === "") return undefined;
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    return /^\S+$/.test(text) ? { token: text, expiresAt: undefined } : undefined;
  }
  if (typeof value === "string") return value === "" ? undefined : { token: value, expiresAt: undefined };
  if (typeof value !== "object" || value === null) return undefined;
  const { token, access_token: accessToken, token_expiry: expiry } = value as Record<string, unknown>;
  const found = typeof token === "string" ? token : typeof accessToken === "string" ? accessToken : undefined;
  if (found === undefined || found === "") return undefined;
  const expiresAt =
    typeof expiry === "string"
      ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(expiry) ? expiry : `${expiry}Z`)
      : Number.NaN;
  return { token: found, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim() ?? "";
}
