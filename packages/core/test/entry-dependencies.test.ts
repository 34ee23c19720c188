// What each entry of @jobrun/core imports from other packages. zod is an optional peer dependency:
// an app that installs core without zod must still load the main entry, so only `@jobrun/core/zod`
// may reach it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const src = new URL("../src/", import.meta.url);

/** Every import or re-export specifier of a module (static and dynamic). */
function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"([^"]+)"/g)) found.push(match[1]!);
  return found;
}

/** The packages a source module reaches, following its relative imports through the source tree. */
function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [new URL(entry, src)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file.href)) continue;
    seen.add(file.href);
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) pending.push(new URL(specifier.replace(/\.js$/, ".ts"), file));
      else
        packages.add(
          specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!,
        );
    }
  }
  return packages;
}

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe("package dependencies of each entry", () => {
  it("the main entry needs only what core depends on, and not zod", () => {
    const reached = packagesReachedFrom("index.ts");
    expect(reached.has("zod")).toBe(false);
    for (const name of reached) expect(Object.keys(manifest.dependencies)).toContain(name);
  });

  it("the zod entry needs zod, an optional peer dependency", () => {
    expect(packagesReachedFrom("zod.ts").has("zod")).toBe(true);
    expect(manifest.dependencies.zod).toBeUndefined();
    expect(manifest.peerDependencies.zod).toBeDefined();
    expect(manifest.peerDependenciesMeta.zod?.optional).toBe(true);
  });
});
