import type { Plugin } from "esbuild";

export function apiOptionsUnread(): Plugin;
