import type { Plugin } from "esbuild";

export function builtinsOnDemand(): Plugin;
