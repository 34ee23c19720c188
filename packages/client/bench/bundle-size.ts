import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageRoot = fileURLToPath(new URL("../", import.meta.url));

/** The main entry with core and its dependencies, bundled as a Worker would ship it. */
export async function edgeBundleSize(): Promise<{ minified: number; gzip: number }> {
  const result = await build({
    entryPoints: [join(packageRoot, "src/index.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/**
 * The installed closure of a package: its directory and every package it depends on, transitively,
 * as they sit on disk (pnpm's layout gives each its own directory).
 */
export async function installedClosure(name: string): Promise<{ packages: number; bytes: number }> {
  const seen = new Set<string>();
  let bytes = 0;
  const visit = async (pkg: string, from: string) => {
    const require = createRequire(join(from, "package.json"));
    let dir: string;
    try {
      dir = await realpath(dirname(require.resolve(`${pkg}/package.json`)));
    } catch {
      return; // an optional dependency not installed on this platform
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    bytes += await directorySize(dir);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      await visit(dep, dir);
  };
  await visit(name, packageRoot);
  return { packages: seen.size, bytes };
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}
