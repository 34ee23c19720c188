import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * The compatibility date every workerd test runs with: the proxy's wrangler.jsonc deploys with the
 * same date (its deploy test checks), the newest that workerd 1.20260424 (miniflare 4.20260424,
 * wrangler 4.85) knows.
 */
export const WORKERD_COMPATIBILITY_DATE = "2026-04-24";

/**
 * Bundles a Worker entry the way Wrangler would for workerd: ESM, browser platform, the
 * workerd/worker/browser export conditions. Returns the script text for miniflare's `script`.
 */
export async function bundleWorker(entry: URL): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry.href}`);
  return output.text;
}
