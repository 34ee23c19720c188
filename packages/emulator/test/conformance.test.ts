import { describeJobRunServiceConformance } from "@jobrun/conformance";
import { createEmulator } from "../src/index.js";

describeJobRunServiceConformance("emulator (in process)", async (fixture) => {
  const emulator = createEmulator({
    jobRuns: { jobRuns: fixture.jobRuns },
    terminateDelayMs: fixture.terminateDelayMs,
  });
  return {
    service: emulator,
    close: async () => emulator.stop(),
  };
});
