import type { Plugin } from "esbuild";

export interface SourcePatchEntry {
  readonly file: RegExp;
  readonly patch: (source: string, path: string) => string | undefined;
}

export function sourcePatch(name: string, patches: readonly SourcePatchEntry[]): Plugin;
