// Fixed-width cells. Rows are drawn as single padded lines (not a Box per cell) because a line is
// far cheaper for Ink to lay out, which keeps key-to-frame latency low with long lists.

/** `text` cut or padded to exactly `width` columns; a cut ends with "…". */
export function cell(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length <= width) return text.padEnd(width);
  if (width === 1) return "…";
  return `${text.slice(0, width - 1)}…`;
}

/** `text` cut to at most `width` columns, without padding. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : cell(text, width);
}
