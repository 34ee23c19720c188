// @jobrun/client under Bun 1 (the registry package @oven/bun-linux-x64): the driver imports the
// built client from node_modules as a Bun program would, and the whole conformance suite runs
// through it against the emulator proxy over HTTP.
import {
  type ConformanceFixture,
  conformanceFixture,
  describeJobRunServiceConformance,
} from "@jobrun/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeHarness, startRuntimeHarness } from "./support/harness.js";
import { binaryIn, spawnDriver } from "./support/runtime-process.js";

function startInBun(fixture: ConformanceFixture): Promise<RuntimeHarness> {
  return startRuntimeHarness("Bun", fixture, async (bridge) => {
    const bun = binaryIn("Bun", "@oven/bun-linux-x64", "bin/bun");
    // --no-install: never fetch a package; everything comes from node_modules.
    return spawnDriver("Bun", bun, ["run", "--no-install", "driver/bun.ts", bridge.url], bridge);
  });
}

describe("the client in Bun", () => {
  let harness: RuntimeHarness | undefined;
  beforeAll(async () => {
    harness = await startInBun(conformanceFixture());
  });
  afterAll(() => harness?.close());

  it("runs in Bun 1", () => {
    expect(harness?.hello.userAgent).toMatch(/^Bun\/1\./);
  });
});

describeJobRunServiceConformance("client in Bun → proxy → emulator (HTTP, API key)", startInBun);
