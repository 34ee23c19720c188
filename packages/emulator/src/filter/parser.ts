// A recursive-descent parser for the AIP-160 grammar. Note its precedence, which differs from most
// languages: OR binds tighter than AND, and juxtaposition (`a b`) is an AND.
//
//   filter     : [expression]
//   expression : sequence {"AND" sequence}
//   sequence   : factor {factor}
//   factor     : term {"OR" term}
//   term       : ["NOT" | "-"] simple
//   simple     : restriction | "(" expression ")"
//   restriction: field comparator value

import type { Comparator, FilterNode } from "./ast.js";
import { filterError } from "./filter-error.js";
import { type Token, tokenize } from "./lexer.js";

/** The deepest nesting accepted; deeper filters are refused rather than overflowing the stack. */
const MAX_DEPTH = 64;

/** Parses a filter; `undefined` for an empty one. Throws INVALID_ARGUMENT naming the column of the problem. */
export function parseFilter(filter: string): FilterNode | undefined {
  const tokens = tokenize(filter);
  let position = 0;
  let depth = 0;

  const peek = (): Token => tokens[position]!;
  const next = (): Token => tokens[position++]!;
  const isKeyword = (token: Token, word: string) => token.kind === "text" && token.text === word;
  const fail = (token: Token, reason: string): never => {
    throw filterError(filter, token.offset, reason);
  };
  const describe = (token: Token): string =>
    token.kind === "end" ? "the end of the filter" : `${JSON.stringify(token.text)}`;

  const startsTerm = (token: Token): boolean =>
    token.kind === "lparen" ||
    token.kind === "minus" ||
    token.kind === "string" ||
    (token.kind === "text" && token.text !== "AND" && token.text !== "OR");

  function expression(): FilterNode {
    if (++depth > MAX_DEPTH) fail(peek(), `the filter nests deeper than ${MAX_DEPTH} levels`);
    const children = [sequence()];
    while (isKeyword(peek(), "AND")) {
      next();
      if (!startsTerm(peek())) fail(peek(), `expected a condition after AND, found ${describe(peek())}`);
      children.push(sequence());
    }
    depth--;
    return children.length === 1 ? children[0]! : { kind: "and", children };
  }

  function sequence(): FilterNode {
    const children = [factor()];
    while (startsTerm(peek())) children.push(factor());
    return children.length === 1 ? children[0]! : { kind: "and", children };
  }

  function factor(): FilterNode {
    const children = [term()];
    while (isKeyword(peek(), "OR")) {
      next();
      if (!startsTerm(peek())) fail(peek(), `expected a condition after OR, found ${describe(peek())}`);
      children.push(term());
    }
    return children.length === 1 ? children[0]! : { kind: "or", children };
  }

  function term(): FilterNode {
    const token = peek();
    if (token.kind === "minus" || isKeyword(token, "NOT")) {
      next();
      if (!startsTerm(peek()))
        fail(peek(), `expected a condition after ${token.text}, found ${describe(peek())}`);
      return { kind: "not", child: simple() };
    }
    return simple();
  }

  function simple(): FilterNode {
    const token = next();
    if (token.kind === "lparen") {
      if (peek().kind === "rparen") fail(peek(), "empty parentheses");
      const inner = expression();
      const close = next();
      if (close.kind !== "rparen")
        fail(close, `expected ")" to close the "(" at column ${token.offset + 1}, found ${describe(close)}`);
      return inner;
    }
    if (token.kind !== "text" || token.text === "AND" || token.text === "OR") {
      return fail(token, `expected a field name, found ${describe(token)}`);
    }
    const segments = token.text.split(".");
    const empty = segments.indexOf("");
    if (empty !== -1) fail(token, `${JSON.stringify(token.text)} is not a field path (empty segment)`);
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(token.text) || token.text === "NOT") {
      fail(token, `expected a field name, found ${describe(token)}`);
    }
    const comparator = next();
    if (comparator.kind !== "comparator") {
      return fail(
        comparator,
        `expected a comparison operator (=, !=, <, <=, >, >=, :) after ${JSON.stringify(token.text)}, found ${describe(comparator)}`,
      );
    }
    const value = next();
    if (value.kind !== "text" && value.kind !== "string") {
      return fail(
        value,
        `expected a value after ${JSON.stringify(comparator.text)}, found ${describe(value)}`,
      );
    }
    return {
      kind: "compare",
      field: { segments, offset: token.offset },
      op: comparator.text as Comparator,
      opOffset: comparator.offset,
      value: { text: value.text, quoted: value.kind === "string", offset: value.offset },
    };
  }

  if (peek().kind === "end") return undefined;
  const tree = expression();
  const rest = peek();
  if (rest.kind !== "end") {
    fail(rest, rest.kind === "rparen" ? `unmatched ")"` : `unexpected ${describe(rest)}`);
  }
  return tree;
}
