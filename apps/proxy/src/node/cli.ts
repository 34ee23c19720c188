#!/usr/bin/env node
// jobrun-proxy: the proxy on Node. Everything a flag or file can get wrong is checked before the
// port is opened, and reported as one line with exit code 2.

import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthProvider } from "@jobrun/client";
import { fromEnvironment, serviceAccountKey } from "@jobrun/client/node";
import { isLoopback, type JobRunService } from "@jobrun/core";
import { createProxy } from "../app.js";
import { createGoogleBackend } from "../backends/google.js";
import { createJwtVerifier } from "../jwt.js";
import { createKeyStore, generateApiKey, hashApiKey, parseKeyFile } from "../keys.js";
import type { AuthOptions } from "../steps/auth.js";
import { memoryRateLimiter } from "../steps/rate-limit.js";
import type { LogSink } from "../types.js";
import { GooglePoller } from "../watch/google-poller.js";
import { WatchHub } from "../watch/hub.js";
import { promptsOf } from "../watch/pubsub-push.js";
import { watchSourceOf } from "../watch/source.js";
import {
  type CliConfig,
  type NewKeyConfig,
  parseCli,
  type ServeConfig,
  USAGE,
  UsageError,
} from "./cli-args.js";
import { openEmulator } from "./emulator-data.js";
import { pinoLogSink } from "./request-log.js";
import { createNodeServer } from "./server.js";
import { upstreamFetch } from "./upstream-fetch.js";

async function main(): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCli(process.argv.slice(2), process.env);
    if (config.command === "help") {
      console.log(USAGE);
      return;
    }
    if (config.command === "new-key") {
      await newKey(config);
      return;
    }
    await serveProxy(config);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`jobrun-proxy: ${error.message}`);
      console.error("run jobrun-proxy --help for the options");
      process.exit(2);
    }
    console.error(`jobrun-proxy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function newKey(config: NewKeyConfig): Promise<void> {
  const key = generateApiKey();
  const record = {
    id: config.id,
    hash: await hashApiKey(key),
    role: config.role,
    scopes: config.scopes,
    ...(config.overrideDeployPolicy ? { overrideDeployPolicy: true } : {}),
  };
  try {
    parseKeyFile({ keys: [record] });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^keys\[0\]\./, ""));
  }
  console.error("the key (give it to the caller; it is not stored anywhere):");
  console.log(key);
  console.error("\nthe entry for the keys file:");
  console.error(JSON.stringify(record, null, 2));
}

async function serveProxy(config: ServeConfig): Promise<void> {
  const auth = await loadAuth(config);
  const { backend, stop } = await loadBackend(config);
  const { watch, poller } = watchOf(backend, config);
  const log = pinoLogSink({ level: config.logLevel, format: config.logFormat });
  const app = createProxy({
    watch: watch ?? false,
    ...(config.pubsub === undefined || poller === undefined
      ? {}
      : {
          pubsub: {
            audience: config.pubsub.audience,
            prefetchKeys: true,
            ...(config.pubsub.jwks === undefined ? {} : { jwks: config.pubsub.jwks }),
            ...(config.pubsub.serviceAccount === undefined
              ? {}
              : { serviceAccount: config.pubsub.serviceAccount }),
            watches: promptsOf(poller),
          },
        }),
    backend,
    cancelOnDisconnect: config.backend !== "emulator",
    auth,
    // Silent: no entry is even built.
    log: config.logLevel === "silent" ? false : log,
    cors: { origins: config.corsOrigins },
    ...(config.rateLimit > 0
      ? { rateLimit: memoryRateLimiter({ requestsPerMinute: config.rateLimit }) }
      : {}),
    // Open on loopback: only loopback names in Host, so a web page cannot reach it by DNS rebinding.
    ...(auth === "none" && isLoopback(config.host) ? { allowedHosts: "loopback" as const } : {}),
  });
  const server = await listen(app.fetch, config, log);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`jobrun-proxy: ${signal}, shutting down`);
    watch?.close(); // ends the open watch streams, which would hold close() open
    // In-flight requests finish first (a terminate waits for its write); then the backend stops and
    // the emulator's data file gets its final state.
    server.close(() => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`jobrun-proxy: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
    // Idle keep-alive sockets would hold close() open; in-flight requests get a grace period.
    const closeIdle = () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    closeIdle();
    // The watch streams were told to end above; their connections fall idle once the last frame is out.
    if (watch !== undefined) setTimeout(closeIdle, 100).unref();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // Printed only once the handlers are in place: whoever waits for this line may signal at once.
  // On stderr, with the other things said to the person running it: stdout holds only log lines,
  // so `jobrun-proxy | jq` reads every line of it.
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  console.error(`jobrun-proxy: listening on http://${shownHost}:${address.port}`);
}

/**
 * The live watch: the emulator's own change feed, or for the google backend one shared poller per
 * watched (parent, filter). A google-mode channel closes with its last watcher (no lingering), so
 * nobody's reconnect keeps Google being polled for nobody.
 */
function watchOf(
  backend: JobRunService,
  config: ServeConfig,
): { watch: WatchHub | undefined; poller: GooglePoller | undefined } {
  if (config.backend === "google") {
    const poller = new GooglePoller({ backend, intervalMs: config.watchIntervalMs });
    return { watch: new WatchHub({ source: poller, lingerMs: 0, ...config.watch }), poller };
  }
  const source = watchSourceOf(backend);
  return {
    watch: source === undefined ? undefined : new WatchHub({ source, ...config.watch }),
    poller: undefined,
  };
}

function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  config: ServeConfig,
  log: LogSink,
): Promise<Server> {
  const server = createNodeServer(fetch, config.limits, log);
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        reject(new Error(`port ${config.port} on ${config.host} is already in use`));
      else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
        reject(new UsageError(`--host ${config.host} is not an address of this machine`));
      } else reject(error);
    });
    server.listen(config.port, config.host, () => resolve(server));
  });
}

async function loadAuth(config: ServeConfig): Promise<AuthOptions> {
  if (config.keysFile === undefined && config.jwt === undefined) return "none";
  let keys: ReturnType<typeof createKeyStore> | undefined;
  if (config.keysFile !== undefined) {
    let text: string;
    try {
      text = await readFile(config.keysFile, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--keys ${config.keysFile}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    try {
      keys = createKeyStore(parseKeyFile(text));
    } catch (error) {
      throw new UsageError(`--keys ${config.keysFile}: ${(error as Error).message}`);
    }
  }
  return {
    ...(keys === undefined ? {} : { keys }),
    ...(config.jwt === undefined ? {} : { jwt: createJwtVerifier(config.jwt) }),
  };
}

async function loadBackend(
  config: ServeConfig,
): Promise<{ backend: JobRunService; stop: () => Promise<void> }> {
  if (config.backend === "google") {
    let auth: AuthProvider;
    const key = process.env.GOOGLE_SERVICE_ACCOUNT_KEY;
    try {
      auth = key !== undefined && key !== "" ? serviceAccountKey(key) : await fromEnvironment();
    } catch (error) {
      throw new UsageError(`google backend credentials: ${(error as Error).message}`);
    }
    const upstream = config.upstream === undefined ? {} : { upstream: config.upstream };
    return {
      backend: createGoogleBackend({ auth, fetch: upstreamFetch(), ...upstream }),
      stop: async () => {},
    };
  }
  const { emulator, stop } = await openEmulator(config);
  return { backend: emulator, stop };
}

await main();
