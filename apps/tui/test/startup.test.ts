import { describe, expect, it } from "vitest";
import { importOutsideCi } from "../src/startup/ci-env.js";

describe("importOutsideCi", () => {
  it("hides CI and CONTINUOUS_INTEGRATION (even empty) while loading, then puts them back", async () => {
    const env: NodeJS.ProcessEnv = { CI: "", CONTINUOUS_INTEGRATION: "true", TERM: "xterm" };
    const seen = await importOutsideCi(env, async () => ({ ...env }));
    expect(seen).toEqual({ TERM: "xterm" });
    expect(env).toEqual({ CI: "", CONTINUOUS_INTEGRATION: "true", TERM: "xterm" });
  });

  it("puts them back when loading fails", async () => {
    const env: NodeJS.ProcessEnv = { CI: "1" };
    await expect(
      importOutsideCi(env, async () => {
        throw new Error("no module");
      }),
    ).rejects.toThrow("no module");
    expect(env).toEqual({ CI: "1" });
  });

  it("adds nothing when they were not set", async () => {
    const env: NodeJS.ProcessEnv = {};
    await importOutsideCi(env, async () => undefined);
    expect(env).toEqual({});
  });
});
