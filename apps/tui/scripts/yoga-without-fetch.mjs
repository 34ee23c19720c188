// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).
import { sourcePatch } from "./source-patch.mjs";

/**
 * yoga-layout's Emscripten loader reads its WebAssembly, embedded as a `data:` URL, with `fetch`
 * whenever `fetch` is a function. On Node that first call loads undici (about a hundred internal
 * modules) just to decode a string: 14% of the time to the first frame in a CPU profile. Without
 * `fetch` the same loader decodes the string itself (`atob`), which is all a `data:` URL needs. A
 * module-scoped `fetch` binding hides the global from that one module only; the rest of the binary
 * keeps the real one. The build fails if the loader no longer looks as expected.
 */
export function yogaWithoutFetch() {
  return sourcePatch("yoga-without-fetch", [
    {
      file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
      patch(source, path) {
        if (!source.includes('"function"!=typeof fetch')) {
          throw new Error(`${path} no longer looks for fetch as expected: review yogaWithoutFetch`);
        }
        return `const fetch = undefined;\n${source}`;
      },
    },
  ]);
}
