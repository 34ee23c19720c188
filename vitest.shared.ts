// Settings every package's vitest.config.ts spreads into its `test` block. Besides the console
// reporter, each run writes test-results.json next to the config: .ci/run sums those files into
// the closing "N passed, N failed" line.
import type { ViteUserConfig } from "vitest/config";

type TestConfig = NonNullable<ViteUserConfig["test"]>;

export const sharedTestConfig = {
  reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  // Tests never reach the network beyond loopback; a hung socket must fail, not stall CI.
  testTimeout: 20_000,
  hookTimeout: 30_000,
} satisfies TestConfig;
