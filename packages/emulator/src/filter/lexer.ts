// Splits an AIP-160 filter into tokens, each with its offset so errors can point at it.

import { filterError } from "./filter-error.js";

export type TokenKind = "text" | "string" | "comparator" | "lparen" | "rparen" | "minus" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** The token's text; for strings, the unescaped content. */
  readonly text: string;
  /** 0-based offset in the filter. */
  readonly offset: number;
}

const comparators = ["<=", ">=", "!=", "<", ">", "=", ":"] as const;

// An RFC 3339 timestamp may stand unquoted as a value (`createTime > 2025-01-01T00:00:00Z`), though it
// contains ':' (the has operator); it is recognised as a whole right after a comparator.
const bareTimestamp = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/;

const textStop = /[\s()"'<>=!:]/;

/** Tokenises a filter; throws INVALID_ARGUMENT naming the offset of an unterminated string or stray character. */
export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (char === "(" || char === ")") {
      tokens.push({ kind: char === "(" ? "lparen" : "rparen", text: char, offset: i });
      i++;
      continue;
    }
    if (char === '"' || char === "'") {
      const [text, end] = readString(filter, i);
      tokens.push({ kind: "string", text, offset: i });
      i = end;
      continue;
    }
    const comparator = comparators.find((c) => filter.startsWith(c, i));
    if (comparator !== undefined) {
      tokens.push({ kind: "comparator", text: comparator, offset: i });
      i += comparator.length;
      continue;
    }
    if (char === "!") throw filterError(filter, i, `unexpected "!"; did you mean "!="?`);
    const afterComparator = previous?.kind === "comparator";
    if (afterComparator) {
      const timestamp = bareTimestamp.exec(filter.slice(i));
      if (timestamp !== null) {
        tokens.push({ kind: "text", text: timestamp[0], offset: i });
        i += timestamp[0].length;
        continue;
      }
    }
    // A leading "-" negates the term that follows (`-state=FAILED`), except as a value (`x = -1`).
    if (char === "-" && !afterComparator && i + 1 < filter.length && !/\s/.test(filter[i + 1]!)) {
      tokens.push({ kind: "minus", text: "-", offset: i });
      i++;
      continue;
    }
    let end = i;
    while (end < filter.length && !textStop.test(filter[end]!)) end++;
    tokens.push({ kind: "text", text: filter.slice(i, end), offset: i });
    i = end;
  }
  tokens.push({ kind: "end", text: "", offset: filter.length });
  return tokens;
}

function readString(filter: string, start: number): [string, number] {
  const quote = filter[start]!;
  let out = "";
  let i = start + 1;
  while (i < filter.length) {
    const char = filter[i]!;
    if (char === "\\") {
      const next = filter[i + 1];
      if (next === undefined) break;
      out += next === "n" ? "\n" : next === "t" ? "\t" : next;
      i += 2;
      continue;
    }
    if (char === quote) return [out, i + 1];
    out += char;
    i++;
  }
  throw filterError(filter, start, `the string starting here is not closed (missing ${quote})`);
}
