import type { Plugin } from "esbuild";

export const IS_RGI_EMOJI: string;
export function rgiEmojiOnDemand(): Plugin;
