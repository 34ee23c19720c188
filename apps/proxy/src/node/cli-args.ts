/// <reference types="node" />
// The CLI's flags, parsed and checked before anything starts: a mistake is one clear line and exit 2.

import { parseArgs } from "node:util";
import { isLoopback } from "@jobrun/core";
import { parseUpstream } from "../backends/google.js";
import { DEFAULT_WATCH_INTERVAL_MS } from "../watch/google-poller.js";
import { DEFAULT_WATCH_LIMITS } from "../watch/hub.js";
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "./request-log.js";
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from "./server.js";

/** A usage mistake: printed as it is, with exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface ServeConfig {
  readonly command: "serve";
  readonly backend: "emulator" | "google";
  /** The google backend's upstream (checked by parseUpstream); undefined for Google's own endpoint. */
  readonly upstream: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly importFile: string | undefined;
  /** The emulator's data file (--data): loaded at start, created if missing, every change kept in it. */
  readonly dataFile: string | undefined;
  readonly keysFile: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly insecureNoAuth: boolean;
  /** Requests per minute per caller; 0 turns the limit off. */
  readonly rateLimit: number;
  readonly jwt: { issuer: string; audience: string; jwks: string } | undefined;
  /** Timeouts and the connection cap of the HTTP server. */
  readonly limits: ServerLimits;
  /** The live watch's limits (--watch-*). */
  readonly watch: WatchFlags;
  /** The request log: lowest level written (`silent`: none), and JSON lines or readable ones. */
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** The google backend's poll interval (--watch-interval). */
  readonly watchIntervalMs: number;
  /** `POST /pubsub/push` (--pubsub-*), google backend only; undefined when off. */
  readonly pubsub: PubsubFlags | undefined;
}

/** The Pub/Sub push endpoint's settings. */
export interface PubsubFlags {
  readonly audience: string;
  /** Overrides Google's key set (tests). */
  readonly jwks: string | undefined;
  readonly serviceAccount: string | undefined;
}

/** The watch limits the CLI sets; the rest of WatchHubOptions keep their defaults. */
export interface WatchFlags {
  readonly maxPerCaller: number;
  readonly maxBacklogBytes: number;
  readonly idleTimeoutMs: number;
  readonly maxLifetimeMs: number;
}

export interface NewKeyConfig {
  readonly command: "new-key";
  readonly id: string;
  readonly role: "reader" | "operator";
  readonly scopes: readonly string[];
  readonly overrideDeployPolicy: boolean;
}

export type CliConfig = ServeConfig | NewKeyConfig | { readonly command: "help" };

/** Requests per minute per caller when callers have keys (a share of Google's 18,000 per region). */
export const DEFAULT_RATE_LIMIT = 600;

export const USAGE = `usage: jobrun-proxy [options]
       jobrun-proxy new-key --id ID --role reader|operator --scope PREFIX [--scope PREFIX] [--override-deploy-policy]

Serves the Cloud Deploy JobRun REST surface (get, list, terminate).

options:
  --backend emulator|google   where the job runs are (default emulator)
  --upstream URL              the google backend's endpoint (default https://clouddeploy.googleapis.com);
                              https, or http on loopback only
  --host HOST                 address to bind (default 127.0.0.1)
  --port PORT                 port (default $PORT, else 8787)
  --import FILE               emulator data {"jobRuns":[...]}; without it the live demo is seeded
  --data FILE                 keep the emulator's state in FILE: loaded at start, created if missing
                              (from --import, else the live demo); every change a caller is told
                              about is on disk before the answer. With --import, FILE must not exist
  --keys FILE                 caller API keys {"keys":[{id, hash, role, scopes}]} (see new-key)
  --jwt-issuer ISS --jwt-audience AUD --jwt-jwks URL
                              also accept RS256 JWTs from this issuer
  --cors-origin ORIGIN        a browser origin allowed to call (repeatable)
  --rate-limit N              requests per minute per caller (default 600 with --keys or --jwt-*,
                              none for an open emulator; 0 = off)
  --insecure-no-auth          serve without auth on a non-loopback address
  --headers-timeout SECONDS   time a client has to send a request's headers, and to send anything
                              on a new connection (default ${DEFAULT_SERVER_LIMITS.headersTimeoutMs / 1000}); then 408 and the connection is closed
  --request-timeout SECONDS   time a client has to send a whole request, body included
                              (default ${DEFAULT_SERVER_LIMITS.requestTimeoutMs / 1000}; at least --headers-timeout)
  --max-connections N         open connections at most; more are closed on accept (default ${DEFAULT_SERVER_LIMITS.maxConnections})
  --log-level LEVEL           request log lines at or above LEVEL: ${LOG_LEVELS.join("|")} (default info;
                              a request is logged at info, a 4xx at warn, a 5xx at error; silent: none)
  --log-format FORMAT         json (default: one JSON object per line on stdout) or pretty (one readable
                              line per request, for a terminal)
  --watch-max-per-caller N    watch streams one caller may hold (default ${DEFAULT_WATCH_LIMITS.maxPerCaller}; 0 = no limit)
  --watch-max-backlog KIB     events waiting for a slow watch reader before it is told and let go
                              (default ${DEFAULT_WATCH_LIMITS.maxBacklogBytes / 1024})
  --watch-idle-timeout SECONDS
                              a watch stream with no change for this long ends; clients resume
                              (default ${DEFAULT_WATCH_LIMITS.idleTimeoutMs / 1000})
  --watch-max-lifetime SECONDS
                              a watch stream ends after this long; clients resume (default ${DEFAULT_WATCH_LIMITS.maxLifetimeMs / 1000})
  --watch-interval SECONDS    google backend: how often each watched rollout is listed, once for all of
                              its watchers (default ${DEFAULT_WATCH_INTERVAL_MS / 1000})
  --pubsub-audience AUD       google backend: serve POST /pubsub/push for Cloud Deploy's Pub/Sub push
                              subscription whose OIDC token has this audience; a push polls at once
  --pubsub-service-account EMAIL
                              accept only pushes whose token is this service account's (recommended)
  --pubsub-jwks URL           the key set push tokens are checked with (default Google's)
  -h, --help                  this text

google backend credentials: GOOGLE_SERVICE_ACCOUNT_KEY (the key JSON), else Application Default Credentials.`;

export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliConfig {
  if (argv[0] === "new-key") return parseNewKey(argv.slice(1));
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        backend: { type: "string" },
        upstream: { type: "string" },
        host: { type: "string" },
        port: { type: "string" },
        import: { type: "string" },
        data: { type: "string" },
        keys: { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        "insecure-no-auth": { type: "boolean" },
        "rate-limit": { type: "string" },
        "jwt-issuer": { type: "string" },
        "jwt-audience": { type: "string" },
        "jwt-jwks": { type: "string" },
        "headers-timeout": { type: "string" },
        "request-timeout": { type: "string" },
        "max-connections": { type: "string" },
        "watch-max-per-caller": { type: "string" },
        "watch-max-backlog": { type: "string" },
        "watch-idle-timeout": { type: "string" },
        "watch-max-lifetime": { type: "string" },
        "log-level": { type: "string" },
        "log-format": { type: "string" },
        "watch-interval": { type: "string" },
        "pubsub-audience": { type: "string" },
        "pubsub-jwks": { type: "string" },
        "pubsub-service-account": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
  if (values.help === true) return { command: "help" };
  const backend = (values.backend as string | undefined) ?? "emulator";
  if (backend !== "emulator" && backend !== "google") {
    throw new UsageError(`--backend must be "emulator" or "google", not ${JSON.stringify(backend)}`);
  }
  let upstream = values.upstream as string | undefined;
  if (upstream !== undefined) {
    if (backend !== "google") throw new UsageError("--upstream only applies to --backend google");
    try {
      upstream = parseUpstream(upstream);
    } catch (error) {
      throw new UsageError(`--upstream: ${(error as Error).message}`);
    }
  }
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  if (host === "" || /[\s/]/.test(host))
    throw new UsageError(`--host ${JSON.stringify(host)} is not a host name or address`);
  const portText = (values.port as string | undefined) ?? env.PORT ?? "8787";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not ${JSON.stringify(portText)}`);
  }
  const importFile = values.import as string | undefined;
  if (importFile !== undefined && backend !== "emulator") {
    throw new UsageError("--import only applies to --backend emulator");
  }
  const dataFile = values.data as string | undefined;
  if (dataFile !== undefined && backend !== "emulator") {
    throw new UsageError("--data only applies to --backend emulator");
  }
  if (dataFile === "") throw new UsageError("--data needs a file name");
  const corsOrigins = (values["cors-origin"] as string[] | undefined) ?? [];
  for (const origin of corsOrigins) {
    let ok = false;
    try {
      const url = new URL(origin);
      ok = (url.protocol === "https:" || url.protocol === "http:") && url.origin === origin;
    } catch {}
    if (!ok)
      throw new UsageError(
        `--cors-origin ${JSON.stringify(origin)} is not an origin such as https://dash.example.com`,
      );
  }
  const rateText = values["rate-limit"] as string | undefined;
  if (rateText !== undefined && !/^\d+$/.test(rateText))
    throw new UsageError(`--rate-limit must be a whole number, not ${JSON.stringify(rateText)}`);
  const jwtFlags = [values["jwt-issuer"], values["jwt-audience"], values["jwt-jwks"]] as (
    | string
    | undefined
  )[];
  let jwt: ServeConfig["jwt"];
  if (jwtFlags.some((v) => v !== undefined)) {
    const [issuer, audience, jwks] = jwtFlags;
    if (issuer === undefined || audience === undefined || jwks === undefined) {
      throw new UsageError("--jwt-issuer, --jwt-audience and --jwt-jwks go together");
    }
    if (!URL.canParse(jwks)) throw new UsageError(`--jwt-jwks ${JSON.stringify(jwks)} is not a URL`);
    jwt = { issuer, audience, jwks };
  }
  const keysFile = values.keys as string | undefined;
  const insecureNoAuth = values["insecure-no-auth"] === true;
  if (keysFile === undefined && jwt === undefined && !insecureNoAuth && !isLoopback(host)) {
    throw new UsageError(
      `refusing to serve ${host} without auth: give --keys FILE (or --jwt-*), bind to 127.0.0.1, or say --insecure-no-auth`,
    );
  }
  const headersTimeoutMs = seconds(values, "headers-timeout", DEFAULT_SERVER_LIMITS.headersTimeoutMs);
  const requestTimeoutMs = seconds(values, "request-timeout", DEFAULT_SERVER_LIMITS.requestTimeoutMs);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new UsageError(
      `--request-timeout (${requestTimeoutMs / 1000} s) must be at least --headers-timeout (${headersTimeoutMs / 1000} s): the headers are part of the request`,
    );
  }
  const connectionsText =
    (values["max-connections"] as string | undefined) ?? String(DEFAULT_SERVER_LIMITS.maxConnections);
  if (!/^\d+$/.test(connectionsText) || Number(connectionsText) < 1) {
    throw new UsageError(
      `--max-connections must be a whole number above 0, not ${JSON.stringify(connectionsText)}`,
    );
  }
  const logLevel = oneOf(values, "log-level", LOG_LEVELS, "info");
  const logFormat = oneOf(values, "log-format", LOG_FORMATS, "json");
  // Callers with keys share an upstream quota (Google's own limit for Cloud Deploy is 18,000 requests
  // per minute per region), so each gets a default share. An open emulator has no quota to protect:
  // a client that works against Google must not get 429s locally.
  const open = keysFile === undefined && jwt === undefined;
  const googleOnly = (flag: string) => {
    if (values[flag] !== undefined && backend !== "google")
      throw new UsageError(
        `--${flag} only applies to --backend google (the emulator's watch is fed by its own changes)`,
      );
  };
  for (const flag of ["watch-interval", "pubsub-audience", "pubsub-jwks", "pubsub-service-account"])
    googleOnly(flag);
  const pubsub = pubsubFlags(values);
  const rateLimit =
    rateText !== undefined ? Number(rateText) : open && backend === "emulator" ? 0 : DEFAULT_RATE_LIMIT;
  return {
    command: "serve",
    backend,
    upstream,
    host,
    port,
    importFile,
    dataFile,
    keysFile,
    corsOrigins,
    insecureNoAuth,
    rateLimit,
    jwt,
    limits: { headersTimeoutMs, requestTimeoutMs, maxConnections: Number(connectionsText) },
    watch: {
      maxPerCaller: wholeNumber(values, "watch-max-per-caller", DEFAULT_WATCH_LIMITS.maxPerCaller, 0),
      maxBacklogBytes:
        wholeNumber(values, "watch-max-backlog", DEFAULT_WATCH_LIMITS.maxBacklogBytes / 1024, 1) * 1024,
      idleTimeoutMs: seconds(values, "watch-idle-timeout", DEFAULT_WATCH_LIMITS.idleTimeoutMs),
      maxLifetimeMs: seconds(values, "watch-max-lifetime", DEFAULT_WATCH_LIMITS.maxLifetimeMs),
    },
    logLevel,
    logFormat,
    watchIntervalMs: seconds(values, "watch-interval", DEFAULT_WATCH_INTERVAL_MS),
    pubsub,
  };
}

function pubsubFlags(values: Record<string, unknown>): PubsubFlags | undefined {
  const audience = values["pubsub-audience"] as string | undefined;
  const jwks = values["pubsub-jwks"] as string | undefined;
  const serviceAccount = values["pubsub-service-account"] as string | undefined;
  if (audience === undefined) {
    if (jwks !== undefined || serviceAccount !== undefined)
      throw new UsageError("--pubsub-jwks and --pubsub-service-account need --pubsub-audience");
    return undefined;
  }
  if (audience.trim() === "") throw new UsageError("--pubsub-audience must not be empty");
  if (jwks !== undefined) {
    const url = URL.canParse(jwks) ? new URL(jwks) : undefined;
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:"))
      throw new UsageError(`--pubsub-jwks ${JSON.stringify(jwks)} is not an http(s) URL`);
  }
  if (serviceAccount !== undefined && !/^[^@\s]+@[^@\s]+$/.test(serviceAccount))
    throw new UsageError(
      `--pubsub-service-account ${JSON.stringify(serviceAccount)} is not a service account email`,
    );
  return { audience, jwks, serviceAccount };
}

/** A whole-number flag of at least `min`. */
function wholeNumber(
  values: Record<string, unknown>,
  flag: string,
  defaultValue: number,
  min: number,
): number {
  const text = values[flag] as string | undefined;
  if (text === undefined) return defaultValue;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** A flag whose value is one of `choices`; `fallback` when it is not given. */
function oneOf<T extends string>(
  values: Record<string, unknown>,
  flag: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = values[flag] as string | undefined;
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(", ")}, not ${JSON.stringify(text)}`);
  }
  return text as T;
}

/** A duration flag in seconds (fractions allowed), as milliseconds; from 1 ms to a day. */
function seconds(values: Record<string, unknown>, flag: string, defaultMs: number): number {
  const text = values[flag] as string | undefined;
  if (text === undefined) return defaultMs;
  const ms = Math.round(Number(text) * 1000);
  if (!/^\d+(\.\d+)?$/.test(text) || ms < 1 || ms > 86_400_000) {
    throw new UsageError(
      `--${flag} must be a number of seconds from 0.001 to 86400, not ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

function parseNewKey(argv: readonly string[]): NewKeyConfig {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        id: { type: "string" },
        role: { type: "string" },
        scope: { type: "string", multiple: true },
        "override-deploy-policy": { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0] ?? "bad arguments");
  }
  const { id, role } = values as { id?: string; role?: string };
  const scopes = (values.scope as string[] | undefined) ?? [];
  if (id === undefined) throw new UsageError("new-key needs --id NAME");
  if (role !== "reader" && role !== "operator")
    throw new UsageError(`new-key needs --role reader or --role operator`);
  if (scopes.length === 0)
    throw new UsageError("new-key needs at least one --scope, e.g. --scope projects/my-project");
  return {
    command: "new-key",
    id,
    role,
    scopes,
    overrideDeployPolicy: values["override-deploy-policy"] === true,
  };
}
