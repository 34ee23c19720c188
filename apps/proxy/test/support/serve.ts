import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves a fetch handler (a proxy app, a fake upstream) on 127.0.0.1 and a free port. */
export function serveFetch(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
