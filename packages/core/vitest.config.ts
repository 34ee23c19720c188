import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The proto comparison builds Google's cloud_deploy.proto with buf once per run.
    testTimeout: 30_000,
  },
});
