// Bundles the Worker entry into dist/worker.bundle.js: what the workerd tests load and the bench
// weighs. (`wrangler deploy` bundles src/worker.ts itself, the same way.)
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../src/worker.ts", import.meta.url).pathname],
  outfile: new URL("../dist/worker.bundle.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  minify: true,
  logLevel: "warning",
});
