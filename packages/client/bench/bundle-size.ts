import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageRoot = fileURLToPath(new URL("../", import.meta.url));

/**
 * A Worker's bundle of this package with core and its dependencies: the whole main entry, or (with
 * `names`) only those exports of it, as a Worker that imports just them ships.
 */
export async function edgeBundleSize(names?: readonly string[]): Promise<{ minified: number; gzip: number }> {
  const entry = join(packageRoot, "src/index.ts");
  const result = await build({
    ...(names === undefined
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: `export { ${names.join(", ")} } from ${JSON.stringify(entry)};`,
            resolveDir: packageRoot,
            loader: "ts" as const,
          },
        }),
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
export async function installedClosure(
  name: string,
): Promise<{ packages: number; bytes: number; diskBytes: number }> {
  const seen = new Set<string>();
  let bytes = 0;
  let diskBytes = 0;
  const visit = async (pkg: string, from: string) => {
    const dir = await packageDirectory(pkg, from);
    if (dir === undefined) return; // an optional dependency not installed on this platform
    if (seen.has(dir)) return;
    seen.add(dir);
    const size = await directorySize(dir);
    bytes += size.bytes;
    diskBytes += size.diskBytes;
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      await visit(dep, dir);
  };
  await visit(name, packageRoot);
  return { packages: seen.size, bytes, diskBytes };
}

// Node's resolution by hand: `require.resolve("x/package.json")` fails for packages whose
// `exports` hide their package.json, and they would be missed.
async function packageDirectory(pkg: string, from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      return await realpath(join(dir, "node_modules", pkg));
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

/** File bytes, and the space they take on disk in whole blocks (what `du` and npm's figure count). */
async function directorySize(dir: string): Promise<{ bytes: number; diskBytes: number }> {
  const total = { bytes: 0, diskBytes: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await directorySize(path);
      total.bytes += inner.bytes;
      total.diskBytes += inner.diskBytes;
    } else if (entry.isFile()) {
      const info = await stat(path);
      total.bytes += info.size;
      total.diskBytes += info.blocks * 512;
    }
  }
  return total;
}
