// One running arrangement: the emulator proxy (holding the fixture), a bridge, and a driver in the
// runtime under test whose client calls the proxy. Its `service` is what the conformance suite
// tests: every call it makes is made by @jobrun/client inside that runtime, over real HTTP.
import type { ConformanceFixture, ConformanceHarness } from "@jobrun/conformance";
import type { Hello } from "../../driver/protocol.ts";
import { type Bridge, type ServedFile, startBridge } from "./bridge.js";
import { startEmulatorProxy } from "./emulator-proxy.js";

/** Starts the driver in its runtime, pointed at the bridge; returns how to stop it. */
export type LaunchDriver = (bridge: Bridge) => Promise<{ close(): Promise<void> }>;

export interface RuntimeHarness extends ConformanceHarness {
  /** What the driver said when it connected (its runtime's `navigator.userAgent`). */
  readonly hello: Hello;
}

export interface RuntimeHarnessOptions {
  /** Served by the bridge for a browser page. */
  readonly files?: Readonly<Record<string, ServedFile>>;
  /** Browser origins the proxy lets in (CORS); the bridge's own when not given. */
  readonly corsOrigins?: (bridgeUrl: string) => readonly string[];
  /** How long the driver may take to connect. */
  readonly connectTimeoutMs?: number;
}

export async function startRuntimeHarness(
  runtime: string,
  fixture: ConformanceFixture,
  launch: LaunchDriver,
  options: RuntimeHarnessOptions = {},
): Promise<RuntimeHarness> {
  const bridge = await startBridge(options.files);
  const proxy = await startEmulatorProxy(fixture, options.corsOrigins?.(bridge.url) ?? [bridge.url]);
  bridge.configure({ endpoint: proxy.url, token: proxy.token });
  let driver: { close(): Promise<void> } | undefined;
  const close = async () => {
    await bridge.close();
    await driver?.close();
    await proxy.close();
  };
  try {
    driver = await launch(bridge);
    const timeoutMs = options.connectTimeoutMs ?? 20_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hello = await Promise.race([
      bridge.connected,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the driver in ${runtime} did not connect within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return { service: bridge.service, hello, close };
  } catch (error) {
    await close();
    throw error;
  }
}
