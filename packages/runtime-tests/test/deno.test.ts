// @jobrun/client under Deno 2 (the registry package @deno/linux-x64-glibc): the driver imports the
// built client from node_modules as a Deno program would, with network access to loopback only,
// and the whole conformance suite runs through it against the emulator proxy over HTTP.
import {
  type ConformanceFixture,
  conformanceFixture,
  describeJobRunServiceConformance,
} from "@jobrun/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeHarness, startRuntimeHarness } from "./support/harness.js";
import { binaryIn, spawnDriver } from "./support/runtime-process.js";

function startInDeno(fixture: ConformanceFixture): Promise<RuntimeHarness> {
  return startRuntimeHarness("Deno", fixture, async (bridge) => {
    const deno = binaryIn("Deno", "@deno/linux-x64-glibc", "deno");
    const args = ["run", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", "driver/deno.ts", bridge.url];
    return spawnDriver("Deno", deno, args, bridge, { DENO_NO_UPDATE_CHECK: "1" });
  });
}

describe("the client in Deno", () => {
  let harness: RuntimeHarness | undefined;
  beforeAll(async () => {
    harness = await startInDeno(conformanceFixture());
  });
  afterAll(() => harness?.close());

  it("runs in Deno 2", () => {
    expect(harness?.hello.userAgent).toMatch(/^Deno\/2\./);
  });
});

describeJobRunServiceConformance("client in Deno → proxy → emulator (HTTP, API key)", startInDeno);
