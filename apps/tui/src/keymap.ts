// The one keymap: the session resolves key presses with it and the `?` screen is generated from it,
// so the help can never disagree with what the keys do.
import type { Key } from "ink";
import type { SortField } from "./state/sort.js";
import type { View } from "./state/state.js";

/** What a binding asks the session to do. */
export type Intent =
  | "down"
  | "up"
  | "top"
  | "bottom"
  | "pageDown"
  | "pageUp"
  | "open"
  | "back"
  | "help"
  | "filter"
  | "command"
  | "refresh"
  | "copyName"
  | "copyConsoleUrl"
  | "copyJson"
  | "terminate"
  | "quit"
  | "confirmYes"
  | "confirmNo"
  | `sort:${SortField}`;

/** Where a binding applies: a view, or the terminate dialog. */
export type KeyContext = View | "confirm";

type SpecialKey = "upArrow" | "downArrow" | "pageUp" | "pageDown" | "return" | "escape" | "home" | "end";

/** One way of pressing a binding: a typed character (maybe with ctrl) or a named key. */
export type KeySpec = { readonly input: string; readonly ctrl?: boolean } | { readonly special: SpecialKey };

export interface Binding {
  readonly keys: readonly KeySpec[];
  readonly description: string;
  readonly intent: Intent;
  readonly contexts: readonly KeyContext[];
  readonly section: "Move" | "Views" | "Sort (again = reverse)" | "Actions" | "Terminate dialog";
  /** Hidden and inert with --readonly. */
  readonly mutates?: boolean;
}

const everywhere: readonly KeyContext[] = ["list", "details", "help"];
const lists: readonly KeyContext[] = ["list"];
const runViews: readonly KeyContext[] = ["list", "details"];

const ch = (input: string): KeySpec => ({ input });
const ctrl = (input: string): KeySpec => ({ input, ctrl: true });
const special = (name: SpecialKey): KeySpec => ({ special: name });

export const keymap: readonly Binding[] = [
  {
    keys: [ch("j"), special("downArrow")],
    description: "next row (scroll down)",
    intent: "down",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [ch("k"), special("upArrow")],
    description: "previous row (scroll up)",
    intent: "up",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [ch("g"), special("home")],
    description: "first row",
    intent: "top",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [ch("G"), special("end")],
    description: "last loaded row",
    intent: "bottom",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [special("pageDown"), ctrl("f")],
    description: "page down",
    intent: "pageDown",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [special("pageUp"), ctrl("b")],
    description: "page up",
    intent: "pageUp",
    contexts: everywhere,
    section: "Move",
  },
  {
    keys: [special("return")],
    description: "details of the selected run",
    intent: "open",
    contexts: lists,
    section: "Views",
  },
  {
    keys: [special("escape")],
    description: "back to the list",
    intent: "back",
    contexts: ["details", "help"],
    section: "Views",
  },
  {
    keys: [ch("?")],
    description: "this help",
    intent: "help",
    contexts: ["list", "details"],
    section: "Views",
  },
  {
    keys: [ch("/")],
    description: "live text filter of the loaded rows",
    intent: "filter",
    contexts: lists,
    section: "Views",
  },
  {
    keys: [ch(":")],
    description: "command line (:filter, :sort, :rollout, :q)",
    intent: "command",
    contexts: runViews,
    section: "Views",
  },
  {
    keys: [ch("S")],
    description: "sort by state",
    intent: "sort:state",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("J")],
    description: "sort by job id",
    intent: "sort:jobId",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("P")],
    description: "sort by phase",
    intent: "sort:phaseId",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("A")],
    description: "sort by age (creation time)",
    intent: "sort:createTime",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("E")],
    description: "sort by end time",
    intent: "sort:endTime",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("N")],
    description: "sort by name",
    intent: "sort:name",
    contexts: lists,
    section: "Sort (again = reverse)",
  },
  {
    keys: [ch("r"), ctrl("r")],
    description: "refresh now",
    intent: "refresh",
    contexts: runViews,
    section: "Actions",
  },
  {
    keys: [ch("c")],
    description: "copy the run's name (OSC 52)",
    intent: "copyName",
    contexts: runViews,
    section: "Actions",
  },
  {
    keys: [ch("o")],
    description: "copy the run's Cloud Console URL",
    intent: "copyConsoleUrl",
    contexts: runViews,
    section: "Actions",
  },
  {
    keys: [ch("y")],
    description: "copy the run as JSON",
    intent: "copyJson",
    contexts: runViews,
    section: "Actions",
  },
  {
    keys: [ch("t"), ctrl("d")],
    description: "terminate the selected IN_PROGRESS run",
    intent: "terminate",
    contexts: runViews,
    section: "Actions",
    mutates: true,
  },
  {
    keys: [ch("q"), ctrl("c")],
    description: "quit",
    intent: "quit",
    contexts: everywhere,
    section: "Actions",
  },
  {
    keys: [ch("y")],
    description: "yes, terminate",
    intent: "confirmYes",
    contexts: ["confirm"],
    section: "Terminate dialog",
    mutates: true,
  },
  {
    keys: [ch("n"), special("return"), special("escape")],
    description: "no, keep it running (default)",
    intent: "confirmNo",
    contexts: ["confirm"],
    section: "Terminate dialog",
    mutates: true,
  },
  {
    keys: [ctrl("c")],
    description: "quit",
    intent: "quit",
    contexts: ["confirm"],
    section: "Terminate dialog",
  },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if ("special" in spec) return key[spec.special];
  return spec.input === input && (spec.ctrl ?? false) === key.ctrl;
}

/** The binding a key press triggers in a context, if any. */
export function bindingFor(
  context: KeyContext,
  input: string,
  key: Key,
  options: { readonly readonly: boolean },
): Binding | undefined {
  return keymap.find(
    (binding) =>
      binding.contexts.includes(context) &&
      !(options.readonly && binding.mutates === true) &&
      binding.keys.some((spec) => matches(spec, input, key)),
  );
}

const specialLabels: Readonly<Record<SpecialKey, string>> = {
  upArrow: "↑",
  downArrow: "↓",
  pageUp: "PgUp",
  pageDown: "PgDn",
  return: "Enter",
  escape: "Esc",
  home: "Home",
  end: "End",
};

/** How a key is written in help: "j", "ctrl-r", "PgDn". */
export function keyLabel(spec: KeySpec): string {
  if ("special" in spec) return specialLabels[spec.special];
  return spec.ctrl === true ? `ctrl-${spec.input}` : spec.input;
}

/** The help screen's sections, in keymap order, without terminate with --readonly. */
export function helpSections(options: {
  readonly readonly: boolean;
}): { title: string; rows: { keys: string; description: string }[] }[] {
  const sections: { title: string; rows: { keys: string; description: string }[] }[] = [];
  for (const binding of keymap) {
    if (options.readonly && binding.mutates === true) continue;
    if (options.readonly && binding.section === "Terminate dialog") continue;
    let section = sections.find((s) => s.title === binding.section);
    if (section === undefined) {
      section = { title: binding.section, rows: [] };
      sections.push(section);
    }
    section.rows.push({ keys: binding.keys.map(keyLabel).join(" "), description: binding.description });
  }
  return sections;
}
