#!/usr/bin/env node
// Sums the test-results.json files vitest writes in every package (see vitest.config.ts) and prints
// the closing line CI reads: "N passed, N failed". Exits 1 when a package that has tests wrote no
// report (it crashed before reporting) or any test failed.
//
// With arguments, each is the label of one run of the suite whose reports were kept aside as
// test-results.<label>.json (.ci/run runs it on Node 20 and on Node 24): every run is summed on a
// line of its own, a report missing from any run is a failure, and the closing line is the total.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const labels = process.argv.slice(2);

/** The folders of every package that has a test script, as "packages/name". */
function packagesWithTests() {
  const out = [];
  for (const group of ["packages", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgFile = join(dir, name, "package.json");
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
      if (pkg.scripts?.test) out.push(`${group}/${name}`);
    }
  }
  return out;
}

/** Sums one run's reports, named `file` in every package. */
function sum(packages, file) {
  const total = { passed: 0, failed: 0, skipped: 0, missing: [], failures: [] };
  for (const pkg of packages) {
    const report = join(root, pkg, file);
    if (!existsSync(report)) {
      total.missing.push(pkg);
      continue;
    }
    const result = JSON.parse(readFileSync(report, "utf8"));
    total.passed += result.numPassedTests ?? 0;
    total.failed += result.numFailedTests ?? 0;
    total.skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
    // A suite that failed to load has no failed tests but is a failure all the same.
    total.failed += (result.testResults ?? []).filter(
      (f) => f.status === "failed" && (f.assertionResults ?? []).length === 0,
    ).length;
    total.failures.push(...failuresIn(pkg, result));
  }
  total.failed += total.missing.length;
  return total;
}

/**
 * One line per failed test (or suite that failed to load): where it is and the first line of why,
 * so that the end of a CI log, often all that is kept of it, names what failed.
 */
function failuresIn(pkg, result) {
  const out = [];
  for (const file of result.testResults ?? []) {
    const where = `${pkg}/${file.name.slice(file.name.indexOf(pkg) + pkg.length + 1)}`;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    if (file.status === "failed" && failed.length === 0) out.push(`${where}: ${firstLine(file.message)}`);
    for (const t of failed) out.push(`${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
  }
  return out;
}

/** The first line of a message, without the colours vitest puts in it. */
const firstLine = (text) =>
  stripVTControlCharacters(text ?? "no message")
    .split("\n")[0]
    .slice(0, 300);

const line = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;

const packages = packagesWithTests();
const runs =
  labels.length === 0 ? [["", "test-results.json"]] : labels.map((l) => [l, `test-results.${l}.json`]);
const grand = { passed: 0, failed: 0, skipped: 0 };
for (const [label, file] of runs) {
  const total = sum(packages, file);
  const where = label === "" ? "" : ` on ${label}`;
  for (const pkg of total.missing)
    console.log(`no test report from ${pkg}${where}: its tests did not run to the end`);
  for (const failure of total.failures) console.log(`FAILED${where}: ${failure}`);
  if (label !== "") console.log(`${label}: ${line(total)}`);
  grand.passed += total.passed;
  grand.failed += total.failed;
  grand.skipped += total.skipped;
}
console.log(line(grand));
process.exitCode = grand.failed > 0 ? 1 : 0;
