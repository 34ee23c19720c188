import { defineConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.js";

export default defineConfig({
  test: {
    ...sharedTestConfig,
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Ink's colours are off when stdout is not a terminal; the colour tests need them on (NO_COLOR
    // is tested through the theme, which must then hand out no colours at all).
    env: { FORCE_COLOR: "1" },
  },
});
