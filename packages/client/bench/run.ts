// `pnpm -F @jobrun/client bench`: the two performance promises of @jobrun/client, each printed
// beside the baseline it is measured against in the same run. Not part of the test suite.
import { edgeBundleSize, installedClosure } from "./bundle-size.js";
import { decodeVersusJsonParse } from "./decode-list-page.js";

const BUNDLE_BUDGET_GZIP = 45 * 1024;
const DECODE_BUDGET_RATIO = 3;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// Timed first, before esbuild and the disk walk warm up other threads.
const decode = decodeVersusJsonParse();
const bundle = await edgeBundleSize();
// What a Worker that imports only what it uses ships: the client with a service account key (to
// Google), and the client with a fixed token (to a jobrun proxy).
const withKey = await edgeBundleSize(["createJobRunsClient", "serviceAccountKey"]);
const withToken = await edgeBundleSize(["createJobRunsClient", "staticToken"]);
const google = await installedClosure("@google-cloud/deploy");
console.log("Edge bundle (src/index.ts + @jobrun/core + protobuf-es + jose, esbuild --minify, gzip -9)");
console.log(
  `  @jobrun/client          ${kb(bundle.minified)} minified, ${kb(bundle.gzip)} gzip   (budget ${kb(BUNDLE_BUDGET_GZIP)})`,
);
console.log(
  `    only createJobRunsClient + serviceAccountKey: ${kb(withKey.minified)} minified, ${kb(withKey.gzip)} gzip`,
);
console.log(
  `    only createJobRunsClient + staticToken:       ${kb(withToken.minified)} minified, ${kb(withToken.gzip)} gzip`,
);
console.log(
  `  @google-cloud/deploy@4  ${mb(google.bytes)} of files (${mb(google.diskBytes)} on disk), ${google.packages} packages installed`,
);
console.log(
  `  ratio                   ${Math.round(google.bytes / bundle.gzip)}x smaller (their file bytes / our gzip bytes)`,
);

console.log(`\nDecoding a 1 000-run ListJobRunsResponse (${kb(decode.bytes)} of JSON)`);
console.log(`  JSON.parse              ${decode.jsonParseMs.toFixed(2)} ms`);
console.log(
  `  @jobrun/client decode   ${decode.decodeMs.toFixed(2)} ms   (JSON.parse + protobuf-es messages)`,
);
console.log(
  `  ratio                   ${decode.ratio.toFixed(2)}x JSON.parse   (budget ${DECODE_BUDGET_RATIO}x)`,
);

const failures = [
  bundle.gzip > BUNDLE_BUDGET_GZIP ? `bundle ${kb(bundle.gzip)} gzip is over ${kb(BUNDLE_BUDGET_GZIP)}` : "",
  decode.ratio > DECODE_BUDGET_RATIO
    ? `decode ratio ${decode.ratio.toFixed(2)} is over ${DECODE_BUDGET_RATIO}`
    : "",
].filter(Boolean);
if (failures.length > 0) {
  console.error(`\nOVER BUDGET: ${failures.join("; ")}`);
  process.exitCode = 1;
}
