// How much @jobrun/core costs a browser or edge consumer: its main entry bundled with esbuild
// (minified, browser platform), gzipped. The baseline, bundled in the same run, is the protobuf-es
// runtime that any protobuf-es user pays anyway (create/fromJson/toJson and Timestamp).
// Budget: 40 KB gzip, and no Node built-in anywhere in the bundle. The serving side of the REST
// surface (`@jobrun/core/server`) is its own entry, which a client never imports; its cost is printed
// for reference, as what a server built on core ships on top.
import { builtinModules } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const BUDGET_BYTES = 40 * 1024;
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface Measured {
  readonly minified: number;
  readonly gzip: number;
  readonly builtins: string[];
}

async function measure(contents: string): Promise<Measured> {
  const result = await build({
    stdin: { contents, resolveDir: packageDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const builtins = Object.keys(result.metafile.inputs).filter((input) => nodeBuiltins.has(input));
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, builtins };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// Everything the main entry exports, so nothing is tree-shaken away: the worst case for a consumer.
const core = await measure(`export * from "./dist/index.js";`);
const withServer = await measure(`export * from "./dist/index.js"; export * from "./dist/server.js";`);
const baseline = await measure(
  `export { create, fromJson, toJson } from "@bufbuild/protobuf"; export { TimestampSchema } from "@bufbuild/protobuf/wkt";`,
);

console.log("@jobrun/core main entry, bundled for the edge (esbuild --minify, gzip -9)");
console.log(
  `  core (whole entry)      ${kb(core.minified).padStart(9)} min   ${kb(core.gzip).padStart(8)} gzip`,
);
console.log(
  `  + the server entry      ${kb(withServer.minified).padStart(9)} min   ${kb(withServer.gzip).padStart(8)} gzip   (a server's, not in the budget)`,
);
console.log(
  `  baseline protobuf-es    ${kb(baseline.minified).padStart(9)} min   ${kb(baseline.gzip).padStart(8)} gzip`,
);
console.log(`  ratio core / baseline   ${(core.gzip / baseline.gzip).toFixed(2)}×`);
console.log(
  `  budget                  ${kb(BUDGET_BYTES)} gzip → ${((core.gzip / BUDGET_BYTES) * 100).toFixed(0)}% used`,
);
const builtins = [...new Set([...core.builtins, ...withServer.builtins])];
console.log(`  Node built-ins          ${builtins.length === 0 ? "none" : builtins.join(", ")}`);
if (core.gzip > BUDGET_BYTES || builtins.length > 0) {
  console.log("  OVER BUDGET");
  process.exitCode = 1;
}
