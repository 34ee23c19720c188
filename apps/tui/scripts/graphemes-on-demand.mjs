// Injected into the `jobrun` binary by scripts/bundle-cli.mjs in place of `Intl.Segmenter`.
//
// Ink measures and cuts every text by grapheme clusters: string-width (7 and 8),
// @alcalzone/ansi-tokenize and slice-ansi each create an Intl.Segmenter when they load. V8 builds
// the list of ICU's available locales when the first one is created (0.09 G instructions, 7% of
// the main thread's work to the first frame), and each `segment()` then walks an ICU break
// iterator. The demo's frames hold only ASCII and a few glyphs (✓ ✗ ■ › · … ↓ and the braille
// spinner), each a cluster of its own: so a text made only of such code points is segmented here
// one UTF-16 unit at a time, and the real segmenter is created when another text first needs it,
// if ever. Other granularities (word, sentence) always use the real segmenter.

/**
 * ASCII but CR (CR LF is one cluster), Latin-1, punctuation, arrows, box drawing, shapes, misc
 * symbols, dingbats and braille: none of them joins a neighbour (no Extend, ZWJ, SpacingMark,
 * Prepend, regional indicator or Hangul jamo among them), which test/graphemes-on-demand.test.ts
 * checks for every pair against Intl.Segmenter.
 */
export const SINGLE_CLUSTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and the other controls are clusters of their own
  /^[\0-\x0c\x0e-\x7f\xa0-\xff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u27bf\u2800-\u28ff]*$/;

/** The real constructor (the binary's `Intl.Segmenter` means the class below). */
const RealSegmenter = globalThis.Intl.Segmenter;

/** Segments of a SINGLE_CLUSTER text, as Intl.Segmenter's: the same data, iteration and `containing`. */
class SingleUnitSegments {
  constructor(input) {
    this.input = input;
  }

  containing(index = 0) {
    const at = Math.trunc(Number(index)) || 0;
    if (at < 0 || at >= this.input.length) return undefined;
    return { segment: this.input[at], index: at, input: this.input };
  }

  [Symbol.iterator]() {
    // An array's iterator rather than a generator: before V8 optimises anything (start-up), each
    // step of a generator resumes interpreted code, where an array's iterator is built in.
    const { input } = this;
    const segments = new Array(input.length);
    for (let index = 0; index < input.length; index++)
      segments[index] = { segment: input[index], index, input };
    return segments[Symbol.iterator]();
  }
}

/** `Intl.Segmenter` as the binary sees it. */
export class GraphemeSegmenterOnDemand {
  static supportedLocalesOf(...args) {
    return RealSegmenter.supportedLocalesOf(...args);
  }

  #locales;
  #options;
  /** Only grapheme segmentation (the default) has the shortcut. */
  #graphemes;
  #real;

  constructor(locales, options) {
    this.#locales = locales;
    this.#options = options;
    this.#graphemes = (options?.granularity ?? "grapheme") === "grapheme";
  }

  #segmenter() {
    this.#real ??= new RealSegmenter(this.#locales, this.#options);
    return this.#real;
  }

  segment(text) {
    const input = String(text);
    return this.#graphemes && SINGLE_CLUSTER.test(input)
      ? new SingleUnitSegments(input)
      : this.#segmenter().segment(input);
  }

  resolvedOptions() {
    return this.#segmenter().resolvedOptions();
  }
}
