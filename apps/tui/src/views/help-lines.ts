// The help page as data, generated from the keymap and the command table, wrapped to the width it
// is drawn at (a description too long for the line continues on the next, never cut).
import { commandHelp } from "../commands.js";
import { helpSections } from "../keymap.js";
import type { PageLine } from "./page-line.js";

export type HelpLine = PageLine<EntryLine>;

/** A binding's keys and what it does. */
export interface EntryLine {
  readonly kind: "entry";
  readonly keys: string;
  readonly description: string;
}

/** Columns before a description: an indent of two, then the keys. */
export const HELP_KEYS_WIDTH = 30;
const INDENT = 2;

/** `text` in lines of at most `width` columns, broken between words. */
function wrapWords(text: string, width: number): readonly string[] {
  if (width <= 0 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

function entries(keys: string, description: string, columns: number): HelpLine[] {
  return wrapWords(description, columns - INDENT - HELP_KEYS_WIDTH).map((piece, i) => ({
    kind: "entry",
    keys: i === 0 ? keys : "",
    description: piece,
  }));
}

export function helpLines(options: {
  readonly readonly: boolean;
  readonly columns: number;
}): readonly HelpLine[] {
  const lines: HelpLine[] = [];
  for (const section of helpSections(options)) {
    lines.push({ kind: "section", title: section.title });
    for (const row of section.rows) lines.push(...entries(row.keys, row.description, options.columns));
    lines.push({ kind: "blank" });
  }
  lines.push({ kind: "section", title: "Commands (type after :)" });
  for (const command of commandHelp)
    lines.push(...entries(command.usage, command.description, options.columns));
  return lines;
}
