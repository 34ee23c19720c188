// The rules every resource-name segment obeys. They are stricter than the URL grammar on purpose:
// a segment must never be able to change which resource, or which path, it denotes.

/** The longest ID Cloud Deploy gives a resource (RFC 1035 labels; project IDs are shorter still). */
export const MAX_SEGMENT_LENGTH = 63;

/** The AIP-159 wildcard: "any" in a parent segment of a List request. */
export const WILDCARD = "-";

/** Why a segment was refused, in words that can follow "the <segment> segment". */
export type SegmentProblem = string;

export interface SegmentRules {
  /** Whether the segment may be the `-` wildcard. */
  readonly wildcard: boolean;
  /** Whether `:` may appear: only project IDs have it (domain-scoped `example.com:my-project`). */
  readonly colon: boolean;
}

/**
 * Checks one segment; returns why it is refused, or `undefined` when it is fine.
 * Allowed: ASCII letters, digits, `-`, `.`, `_`, `~` (and `:` where the rules say so).
 */
export function segmentProblem(value: string, rules: SegmentRules): SegmentProblem | undefined {
  if (value.length === 0) return "is empty";
  if (value.length > MAX_SEGMENT_LENGTH) {
    return `is ${value.length} characters long; the limit is ${MAX_SEGMENT_LENGTH}`;
  }
  if (value === "." || value === "..") return `is a dot segment (${JSON.stringify(value)})`;
  if (value === WILDCARD && !rules.wildcard) {
    return `is the wildcard "-", which only a List request's parent may use`;
  }
  // Nearly every segment is plain: one expression clears it, and only a refused one is walked
  // character by character to say which character is wrong. (Per character, the walk was most of
  // the cost of building and storing a run's name: the TUI's demo does that for every run it seeds.)
  if (!(rules.colon ? PLAIN_WITH_COLON : PLAIN).test(value)) {
    for (const char of value) {
      const problem = characterProblem(char, rules);
      if (problem !== undefined) return problem;
    }
  }
  if (value.includes("..")) return `contains ".."`;
  return undefined;
}

/** Segments made only of the characters characterProblem allows (with `:`, for project IDs). */
const PLAIN = /^[A-Za-z0-9._~-]+$/;
const PLAIN_WITH_COLON = /^[A-Za-z0-9._~:-]+$/;

function characterProblem(char: string, rules: SegmentRules): SegmentProblem | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0) return "contains a NUL character";
  if (code < 0x20 || code === 0x7f) return `contains the control character U+${hex(code)}`;
  if (code > 0x7f) return `contains the non-ASCII character U+${hex(code)}`;
  if (char === "/") return `contains "/"`;
  if (char === "%") return `contains "%" (names are never percent-encoded)`;
  if (char === ":" && rules.colon) return undefined;
  if (/[A-Za-z0-9._~-]/.test(char)) return undefined;
  return `contains ${JSON.stringify(char)}; only letters, digits, "-", ".", "_" and "~" are allowed`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}
