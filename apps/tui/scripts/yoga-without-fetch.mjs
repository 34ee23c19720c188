// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { readFile } from "node:fs/promises";

/**
 * yoga-layout's Emscripten loader reads its WebAssembly, embedded as a `data:` URL, with `fetch`
 * whenever `fetch` is a function. On Node that first call loads undici (about a hundred internal
 * modules) just to decode a string: 14% of the time to the first frame in a CPU profile. Without
 * `fetch` the same loader decodes the string itself (`atob`), which is all a `data:` URL needs. A
 * module-scoped `fetch` binding hides the global from that one module only; the rest of the binary
 * keeps the real one. The build fails if the loader no longer looks as expected.
 */
export function yogaWithoutFetch() {
  const loader = /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
  let applied = 0;
  return {
    name: "yoga-without-fetch",
    setup(build) {
      build.onLoad({ filter: loader }, async (args) => {
        const source = await readFile(args.path, "utf8");
        if (!source.includes('"function"!=typeof fetch')) {
          throw new Error(`${args.path} no longer looks for fetch as expected: review yogaWithoutFetch`);
        }
        applied++;
        return { contents: `const fetch = undefined;\n${source}`, loader: "js" };
      });
      build.onEnd((result) => {
        // An upgrade that moves the loader must not silently bring the slow path back.
        if (result.errors.length === 0 && applied !== 1) {
          throw new Error(`yogaWithoutFetch applied to ${applied} files instead of 1: review it`);
        }
      });
    },
  };
}
