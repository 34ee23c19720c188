import type { Plugin } from "esbuild";

export function styledCharsFastPath(): Plugin;
