// @jobrun/client in a browser: headless Chromium (Debian's package, /usr/bin/chromium) loads a page
// whose script is the client bundled for browsers (esbuild, browser conditions). The page's origin
// (the bridge) is not the proxy's, so every call is a cross-origin request with an Authorization
// header: the proxy's CORS must let that origin in, and the whole conformance suite runs through it.
import { existsSync } from "node:fs";
import {
  type ConformanceFixture,
  conformanceFixture,
  describeJobRunServiceConformance,
  expectApiError,
} from "@jobrun/conformance";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServedFile } from "./support/bridge.js";
import { type RuntimeHarness, type RuntimeHarnessOptions, startRuntimeHarness } from "./support/harness.js";

const CHROMIUM = "/usr/bin/chromium";

let browser: Browser | undefined;
let files: Record<string, ServedFile> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  }
  const bundle = await build({
    entryPoints: [new URL("../driver/browser.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  files = {
    "/": {
      type: "text/html; charset=utf-8",
      body: '<!doctype html><title>jobrun client</title><script type="module" src="/driver.js"></script>',
    },
    "/driver.js": { type: "text/javascript", body: bundle.outputFiles[0]!.text },
  };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh --user-data-dir; these keep Chromium off the network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

function startInChromium(
  fixture: ConformanceFixture,
  options: Pick<RuntimeHarnessOptions, "corsOrigins"> = {},
): Promise<RuntimeHarness> {
  return startRuntimeHarness(
    "Chromium",
    fixture,
    async (bridge) => {
      if (browser === undefined) throw new Error("Chromium did not start");
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("pageerror", (error) => bridge.fail(new Error(`the page's script failed: ${error.stack}`)));
      page.on("crash", () => bridge.fail(new Error("the page crashed")));
      await page.goto(`${bridge.url}/`);
      return {
        close: async () => {
          await context.close();
        },
      };
    },
    { ...options, files },
  );
}

describe("the client in Chromium", () => {
  let harness: RuntimeHarness | undefined;
  beforeAll(async () => {
    harness = await startInChromium(conformanceFixture());
  });
  afterAll(() => harness?.close());

  it("runs in headless Chromium", () => {
    expect(harness?.hello.userAgent).toMatch(/HeadlessChrome\/\d+/);
  });
});

describe("a page from an origin the proxy does not list", () => {
  const fixture = conformanceFixture();
  let harness: RuntimeHarness | undefined;
  beforeAll(async () => {
    harness = await startInChromium(fixture, { corsOrigins: () => ["https://dash.example.com"] });
  });
  afterAll(() => harness?.close());

  it("cannot read through the proxy: the browser blocks the answer", async () => {
    const name = fixture.jobRuns[0]!.name!;
    await expectApiError(harness!.service.getJobRun({ name }), "UNAVAILABLE", "could not reach");
  });
});

describeJobRunServiceConformance("client in Chromium → proxy → emulator (HTTP, CORS, API key)", (fixture) =>
  startInChromium(fixture),
);
