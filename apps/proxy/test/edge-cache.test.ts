// The edge cache is read only where a backend call can be saved (google mode, test/google-fidelity):
// a proxy over an in-memory backend answers a finished run from its own memory, so it must not pay a
// hash and a Cache API write on every GET for entries nothing ever reads (on Workers that was most of
// a GET's CPU time).
import { createEmulator } from "@jobrun/emulator";
import { describe, expect, it } from "vitest";
import { createEmulatorBackend, createProxy, type ResponseCache } from "../src/index.js";

describe("the edge cache over an in-memory backend", () => {
  it("is neither written nor read when a finished run is got, and the run is still served with its ETag", async () => {
    const seed = createEmulator({ seed: 7, demo: true });
    seed.stop();
    const world = seed.exportJobRuns();
    const finished = world.jobRuns.find((run) => run.state === "SUCCEEDED")!.name!;
    const calls: string[] = [];
    const cache: ResponseCache = {
      match: async (key) => {
        calls.push(`match ${key}`);
        return undefined;
      },
      put: async (key) => {
        calls.push(`put ${key}`);
      },
    };
    const backend = createEmulatorBackend({ jobRuns: world });
    const app = createProxy({ backend, auth: "none", cache, log: false, cancelOnDisconnect: false });
    const first = await app.request(`/v1/${finished}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await app.request(`/v1/${finished}`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(calls).toEqual([]);
    backend.stop();
  });
});

describe("a finished run's strong ETag", () => {
  it("is the base64url SHA-256 of the bytes served, on Node (node:crypto) as WebCrypto computes it on Workers", async () => {
    const seed = createEmulator({ seed: 7, demo: true });
    seed.stop();
    const world = seed.exportJobRuns();
    const app = createProxy({
      backend: createEmulatorBackend({ jobRuns: world }),
      auth: "none",
      log: false,
      cancelOnDisconnect: false,
    });
    const finished = world.jobRuns.filter((run) => run.state === "SUCCEEDED").slice(0, 3);
    for (const run of finished) {
      for (const query of ["", "?alt=proto", "?prettyPrint=false&$fields=name,state"]) {
        const response = await app.request(`/v1/${run.name}${query}`);
        expect(response.status).toBe(200);
        const bytes = new Uint8Array(await response.arrayBuffer());
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const expected = `"${Buffer.from(digest).toString("base64url")}"`;
        expect(response.headers.get("etag")).toBe(expected);
      }
    }
  });
});
