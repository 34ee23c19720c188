// The proxy in emulator mode, served over HTTP on loopback, holding the conformance fixture: what
// the client inside each runtime talks to. Callers need an API key (a browser sends it in a header
// the proxy's CORS must allow) and browsers are let in only from the origins given.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { ConformanceFixture } from "@jobrun/conformance";
import { OTHER_PROJECT, PROJECT } from "@jobrun/conformance";
import {
  createEmulatorBackend,
  createKeyStore,
  createProxy,
  generateApiKey,
  hashApiKey,
} from "@jobrun/proxy";

export interface EmulatorProxy {
  readonly url: string;
  /** An operator key over both fixture projects, allowed to override deploy policies. */
  readonly token: string;
  close(): Promise<void>;
}

export async function startEmulatorProxy(
  fixture: ConformanceFixture,
  corsOrigins: readonly string[],
): Promise<EmulatorProxy> {
  const token = generateApiKey();
  const keys = createKeyStore([
    {
      id: "runtime-tests",
      hash: await hashApiKey(token),
      role: "operator",
      scopes: [`projects/${PROJECT}`, `projects/${OTHER_PROJECT}`],
      overrideDeployPolicy: true,
    },
  ]);
  const backend = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const app = createProxy({ backend, auth: { keys }, cors: { origins: corsOrigins }, log: false });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: async () => {
      backend.stop();
      await new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
