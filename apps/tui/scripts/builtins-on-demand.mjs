// An esbuild plugin for the `jobrun` binary (scripts/bundle-cli.mjs).

/**
 * Node built-in modules the binary imports but does not use before the first frame, with the
 * functions imported from them. Loading a built-in runs its own internal modules: node:child_process
 * (imported by terminal-size, which Ink uses, and by the copy and open-in-browser keys) brings net,
 * dgram and the process wrappers; node:v8 (for the heap settings applied after the first frame) brings
 * the heap snapshot and serializer modules. Together they were about 1.5% of the main thread's
 * instructions to the first frame (callgrind).
 */
const ON_DEMAND = {
  "node:child_process": ["execFile", "execFileSync", "spawn", "spawnSync"],
  "node:v8": ["getHeapSpaceStatistics", "setFlagsFromString"],
};

/**
 * Each import of a module above resolves to a stand-in whose functions load the real module when
 * first called and then call the real function with the same arguments, `this` and result: what
 * the importer does is unchanged, only when Node loads the module moves. Only named imports of the
 * functions listed are served: any other import of these modules (another name, a default or
 * namespace import) fails the build, to be reviewed and added here.
 */
export function builtinsOnDemand() {
  const namespace = "builtins-on-demand";
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: /^(node:)?(child_process|v8)$/ }, (args) => {
        // The stand-in's own `require` of the real module stays external.
        if (args.namespace === namespace) return { path: args.path, external: true };
        const path = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
        return { path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => {
        const names = ON_DEMAND[args.path];
        if (names === undefined) throw new Error(`builtinsOnDemand has no stand-in for ${args.path}`);
        // `require` is the bundle's own (its banner creates one per chunk), so the module loads
        // synchronously, at the first call.
        const lines = names.map(
          (name) =>
            `export function ${name}(...args) { return require(${JSON.stringify(args.path)}).${name}.apply(this, args); }`,
        );
        return { contents: `${lines.join("\n")}\n`, loader: "js", resolveDir: process.cwd() };
      });
    },
  };
}
