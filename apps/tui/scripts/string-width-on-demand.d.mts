import type { Plugin } from "esbuild";

export const IS_RGI_EMOJI: string;
export const NARROW_SINGLE_UNITS: string;
export function stringWidthOnDemand(): Plugin;
