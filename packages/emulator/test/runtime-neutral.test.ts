// The main entry must run unchanged in Workers and browsers: no Node built-ins outside src/node.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("the main entry", () => {
  it("imports no Node built-ins and uses no Node globals outside src/node", async () => {
    const offenders: string[] = [];
    for (const file of await files(src)) {
      const path = relative(src, file);
      if (path.startsWith("node/")) continue;
      const text = await readFile(file, "utf8");
      if (
        /from\s+"(node:|fs|path|os|crypto|child_process)/.test(text) ||
        /\b(process|Buffer|require)\s*[.(]/.test(text)
      ) {
        offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });
});
