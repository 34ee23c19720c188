import { describeJobRunServiceConformance } from "@jobrun/conformance";
import { createEmulator } from "@jobrun/emulator";
import { createJobRunsClient } from "../src/index.js";
import { serveJobRunService } from "./support/service-server.js";

// client → real HTTP on loopback → the test server → the emulator: every behaviour the suite checks
// must survive the trip through the REST surface.
describeJobRunServiceConformance("client → HTTP → emulator", async (fixture) => {
  const emulator = createEmulator({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  const server = await serveJobRunService(emulator);
  return {
    service: createJobRunsClient({ endpoint: server.url }),
    close: async () => {
      await server.close();
      emulator.stop();
    },
  };
});
