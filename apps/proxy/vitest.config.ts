import { defineConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.js";

export default defineConfig({
  test: {
    ...sharedTestConfig,
    include: ["test/**/*.test.ts"],
    // The CLI and workerd tests use the build; it is made once, before any test file runs.
    globalSetup: ["test/global-setup.ts"],
  },
});
