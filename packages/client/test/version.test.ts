import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_VERSION } from "../src/index.js";

describe("CLIENT_VERSION", () => {
  it("is package.json's version (scripts/write-version.mjs runs before every build)", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(CLIENT_VERSION).toBe(version);
  });
});
