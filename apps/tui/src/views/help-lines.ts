// The help page as data, generated from the keymap and the command table.
import { commandHelp } from "../commands.js";
import { helpSections } from "../keymap.js";

export type HelpLine =
  | { readonly kind: "section"; readonly title: string }
  | { readonly kind: "entry"; readonly keys: string; readonly description: string }
  | { readonly kind: "blank" };

export function helpLines(options: { readonly readonly: boolean }): readonly HelpLine[] {
  const lines: HelpLine[] = [];
  for (const section of helpSections(options)) {
    lines.push({ kind: "section", title: section.title });
    for (const row of section.rows)
      lines.push({ kind: "entry", keys: row.keys, description: row.description });
    lines.push({ kind: "blank" });
  }
  lines.push({ kind: "section", title: "Commands (type after :)" });
  for (const command of commandHelp)
    lines.push({ kind: "entry", keys: command.usage, description: command.description });
  return lines;
}
