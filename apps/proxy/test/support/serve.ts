import type { AddressInfo } from "node:net";
import { createNodeServer, DEFAULT_SERVER_LIMITS, type ServerLimits } from "../../src/node/server.js";

export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves a fetch handler (a proxy app, a fake upstream) on 127.0.0.1 and a free port, on the same
 * node:http server the CLI uses (its limits, its JSON answer to requests the adapter cannot read).
 */
export function serveFetch(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<Served> {
  const server = createNodeServer(fetch, limits);
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
