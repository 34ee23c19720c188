// The shape every dependency patch of the `jobrun` binary shares (scripts/bundle-cli.mjs).
import { readFile } from "node:fs/promises";

/**
 * An esbuild plugin that rewrites dependency files as they are bundled: each entry's `patch` gets
 * the source of the file its `file` expression matches and returns the new source, or undefined to
 * leave a file as it is (another major of the same package, say); it throws, naming the file, when
 * the source no longer looks as it expects. The build fails unless every entry rewrote exactly one
 * file: an upgrade that moves, renames or splits a file must not silently bring the slow path back.
 *
 * @param {string} name the plugin's name, as esbuild and the errors show it
 * @param {ReadonlyArray<{ file: RegExp, patch: (source: string, path: string) => string | undefined }>} patches
 * @returns {import("esbuild").Plugin}
 */
export function sourcePatch(name, patches) {
  return {
    name,
    setup(build) {
      const applied = patches.map(() => 0);
      patches.forEach(({ file, patch }, index) => {
        build.onLoad({ filter: file }, async (args) => {
          const contents = patch(await readFile(args.path, "utf8"), args.path);
          if (contents === undefined) return undefined;
          applied[index] = (applied[index] ?? 0) + 1;
          return { contents, loader: "js" };
        });
      });
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        patches.forEach(({ file }, index) => {
          if (applied[index] !== 1) {
            throw new Error(
              `${name} patched ${applied[index]} files matching ${file} instead of 1: review it`,
            );
          }
        });
      });
    },
  };
}
