// Bundles a dependency of Ink as Ink resolves it, with or without the binary's build plugins, and
// imports the result: the plugin tests compare a patched dependency with the one published.
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";

/**
 * `entry` (an ES module re-exporting from the dependency) bundled with `plugins` (and the binary's
 * `define` and `inject`, if given), written to `dir` and imported.
 */
export async function bundleAsInk<M>(
  dir: string,
  name: string,
  entry: string,
  plugins: Plugin[],
  options: Pick<BuildOptions, "define" | "inject"> = {},
): Promise<M> {
  const inkDir = realpathSync(fileURLToPath(new URL("../../node_modules/ink", import.meta.url)));
  const result = await build({
    stdin: { contents: entry, resolveDir: inkDir },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    plugins,
    ...options,
    logLevel: "silent",
  });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, result.outputFiles[0]?.text ?? "");
  return (await import(pathToFileURL(file).href)) as M;
}

/** The binary's `Intl.Segmenter` (scripts/bundle-cli.mjs's `define` and `inject`): the segmenter on demand. */
export const SEGMENTER_AS_THE_BINARY: Pick<BuildOptions, "define" | "inject"> = {
  define: { "Intl.Segmenter": "GraphemeSegmenterOnDemand" },
  inject: [fileURLToPath(new URL("../../scripts/graphemes-on-demand.mjs", import.meta.url))],
};

/** @alcalzone/ansi-tokenize's functions Ink calls to turn lines into cells and cells into text. */
export interface AnsiTokenize<Cell = unknown> {
  tokenize(text: string, endChar?: number): unknown[];
  styledCharsFromTokens(tokens: unknown[]): Cell[];
  styledCharsToString(chars: readonly Cell[]): string;
}

/** @alcalzone/ansi-tokenize as Ink resolves it, bundled with `plugins` (and `options`), imported. */
export function bundleAnsiTokenize<Cell = unknown>(
  dir: string,
  name: string,
  plugins: Plugin[],
  options: Pick<BuildOptions, "define" | "inject"> = {},
): Promise<AnsiTokenize<Cell>> {
  return bundleAsInk<AnsiTokenize<Cell>>(
    dir,
    name,
    'export { tokenize, styledCharsFromTokens, styledCharsToString } from "@alcalzone/ansi-tokenize";',
    plugins,
    options,
  );
}
