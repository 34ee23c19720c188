export const SINGLE_CLUSTER: RegExp;
/** Intl.Segmenter as the `jobrun` binary sees it: see graphemes-on-demand.mjs. */
export const GraphemeSegmenterOnDemand: typeof Intl.Segmenter;
