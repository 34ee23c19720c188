import type { Plugin } from "esbuild";

export function tokenizeFastPath(): Plugin;
