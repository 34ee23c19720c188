// The parsed form of an AIP-160 filter.

export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | ":";

export interface FieldRef {
  readonly segments: readonly string[];
  readonly offset: number;
}

export interface Literal {
  readonly text: string;
  /** Whether it was written as a quoted string (a quoted "*" is a star, not "any"). */
  readonly quoted: boolean;
  readonly offset: number;
}

export type FilterNode =
  | { readonly kind: "and"; readonly children: readonly FilterNode[] }
  | { readonly kind: "or"; readonly children: readonly FilterNode[] }
  | { readonly kind: "not"; readonly child: FilterNode }
  | {
      readonly kind: "compare";
      readonly field: FieldRef;
      readonly op: Comparator;
      readonly opOffset: number;
      readonly value: Literal;
    };
