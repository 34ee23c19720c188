/**
 * A line of a full-screen page (details, help): a section title, a blank line, or a line of the
 * page's own kind. Pages are data first, so the session knows their length for scrolling.
 */
export type PageLine<Item> =
  | { readonly kind: "section"; readonly title: string }
  | { readonly kind: "blank" }
  | Item;
