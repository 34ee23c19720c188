// Glob matching for string equality in filters (`name = "*/rollouts/r-1/*"`): `*` is any run of
// characters, every other character stands for itself. Filters come from callers, so no regular
// expression is built from them: a backtracking regex made of n stars costs O(len^n) on a miss
// (issue 10.1: six stars froze the proxy for 36 s).
//
// A pattern of stars alone has a greedy solution. Split it at the stars into parts P0 * P1 * … * Pk:
// the text must start with P0 and end with Pk, and the middle parts must occur in order, without
// overlapping, in between. Taking each middle part at its leftmost occurrence is never worse than any
// other choice (it leaves the most text for the parts after it), so one left-to-right pass of indexOf
// decides the match: O(text × longest part) at worst, no backtracking, whatever the number of stars.

export type GlobMatcher = (text: string) => boolean;

/** Compiles a glob once per request; the matcher is then called per run. */
export function compileGlob(pattern: string): GlobMatcher {
  const parts = pattern.split("*");
  if (parts.length === 1) return (text) => text === pattern;
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  // Empty middle parts (from runs of stars) match anywhere; dropping them changes nothing.
  const middle = parts.slice(1, -1).filter((part) => part !== "");
  const minLength = head.length + tail.length + middle.reduce((sum, part) => sum + part.length, 0);
  return (text) => {
    if (text.length < minLength || !text.startsWith(head) || !text.endsWith(tail)) return false;
    let at = head.length;
    const end = text.length - tail.length;
    for (const part of middle) {
      const found = text.indexOf(part, at);
      if (found === -1 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
