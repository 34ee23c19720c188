// Keeps src/version.ts equal to package.json's version (changesets bumps only package.json).
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const file = new URL("src/version.ts", root);
const text = readFileSync(file, "utf8").replace(
  /CLIENT_VERSION = "[^"]*"/,
  `CLIENT_VERSION = ${JSON.stringify(version)}`,
);
writeFileSync(file, text);
