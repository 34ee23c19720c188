// The JobRunService conformance suite through the proxy over real HTTP:
// @jobrun/client → the proxy (on @hono/node-server) → the emulator. Once with auth off, once with
// an API key (so the auth path is exercised by the whole suite).
import { createJobRunsClient, staticToken } from "@jobrun/client";
import {
  describeJobRunServiceConformance,
  describeRestWireConformance,
  OTHER_PROJECT,
  PROJECT,
} from "@jobrun/conformance";
import { createEmulatorBackend, createGoogleBackend, createProxy, PROXY_ERROR_DOMAIN } from "../src/index.js";
import { KEYS, testKeyStore } from "./support/keys.js";
import { serveFetch } from "./support/serve.js";

describeJobRunServiceConformance("client → proxy → emulator (HTTP, no auth)", async (fixture) => {
  const emulator = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const served = await serveFetch(createProxy({ backend: emulator, auth: "none", log: false }).fetch);
  return {
    service: createJobRunsClient({ endpoint: served.url, retry: false }),
    close: async () => {
      emulator.stop();
      await served.close();
    },
  };
});

describeJobRunServiceConformance("client → proxy → emulator (HTTP, API key, int enums)", async (fixture) => {
  const emulator = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const keys = await testKeyStore(PROJECT, OTHER_PROJECT);
  const served = await serveFetch(createProxy({ backend: emulator, auth: { keys }, log: false }).fetch);
  return {
    service: createJobRunsClient({
      endpoint: served.url,
      retry: false,
      auth: staticToken(KEYS.everything),
      enumEncoding: "int",
    }),
    close: async () => {
      emulator.stop();
      await served.close();
    },
  };
});

// The same surface over the wire: status lines, bodies, error details, system parameters. Once in
// front of the emulator, once in front of Google (here a fake: this proxy over an emulator, auth off,
// reached through --upstream), where the google backend forwards and hands Google's bytes on.
describeRestWireConformance("proxy → emulator", async (fixture) => {
  const emulator = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const served = await serveFetch(createProxy({ backend: emulator, auth: "none", log: false }).fetch);
  return {
    url: served.url,
    ownDomain: PROXY_ERROR_DOMAIN,
    close: async () => {
      emulator.stop();
      await served.close();
    },
  };
});

describeRestWireConformance("proxy → google backend → fake Google (API key)", async (fixture) => {
  const emulator = createEmulatorBackend({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const google = await serveFetch(createProxy({ backend: emulator, auth: "none", log: false }).fetch);
  const backend = createGoogleBackend({
    auth: staticToken("ya29.proxy-own"),
    upstream: google.url,
    retry: false,
  });
  const keys = await testKeyStore(PROJECT, OTHER_PROJECT);
  const served = await serveFetch(createProxy({ backend, auth: { keys }, log: false }).fetch);
  return {
    url: served.url,
    headers: { authorization: `Bearer ${KEYS.everything}` },
    ownDomain: PROXY_ERROR_DOMAIN,
    close: async () => {
      emulator.stop();
      await served.close();
      await google.close();
    },
  };
});
