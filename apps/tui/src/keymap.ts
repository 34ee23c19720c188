// The one keymap. Each binding declares its keys, what it does (its handler), its description for
// the `?` screen and its short hint for the footer or the terminate dialog, together, as k9s's
// KeyActions and lazygit's Binding do: the session runs keys through it, and the help, the footer
// and the dialog are generated from it, so none of them can disagree with what the keys do.
import type { Key } from "ink";
import type { UserActions } from "./session/user-actions.js";
import type { SortField } from "./state/sort.js";
import type { State } from "./state/state.js";

/** Where a binding applies: a view, the terminate dialog, or one of the two text lines. */
export type KeyContext = "list" | "details" | "help" | "confirm" | "filter" | "command";

type SpecialKey =
  | "upArrow"
  | "downArrow"
  | "pageUp"
  | "pageDown"
  | "return"
  | "escape"
  | "home"
  | "end"
  | "backspace"
  | "delete";

/** One way of pressing a binding: a typed character (maybe with ctrl) or a named key. */
export type KeySpec = { readonly input: string; readonly ctrl?: boolean } | { readonly special: SpecialKey };

export type Section =
  | "Move"
  | "Views"
  | "Sort (again = reverse)"
  | "Actions"
  | "Terminate dialog"
  | "Filter line (/)"
  | "Command line (:)"
  | "Editing either line";

export interface Binding {
  readonly keys: readonly KeySpec[];
  /** What the `?` screen says the keys do. */
  readonly description: string;
  /** The short label in the footer (or the dialog); bindings without one appear only in help. */
  readonly hint?: string;
  readonly contexts: readonly KeyContext[];
  readonly section: Section;
  /** Changes a run: hidden and inert with --readonly. */
  readonly mutates?: boolean;
  /** What pressing the keys does. */
  readonly run: (actions: UserActions) => void;
}

const ch = (input: string): KeySpec => ({ input });
const ctrl = (input: string): KeySpec => ({ input, ctrl: true });
const special = (name: SpecialKey): KeySpec => ({ special: name });

const views: readonly KeyContext[] = ["list", "details", "help"];
const runViews: readonly KeyContext[] = ["list", "details"];
const pages: readonly KeyContext[] = ["details", "help"];
const lines: readonly KeyContext[] = ["filter", "command"];

function sortBinding(key: string, field: SortField, what: string): Binding {
  return {
    keys: [ch(key)],
    description: `sort by ${what}`,
    contexts: ["list"],
    section: "Sort (again = reverse)",
    run: (a) => a.sortBy(field),
  };
}

export const keymap: readonly Binding[] = [
  // In the list the cursor moves over rows; the details and help pages scroll.
  {
    keys: [ch("j"), special("downArrow")],
    description: "next row (scroll down)",
    hint: "move",
    contexts: views,
    section: "Move",
    run: (a) => a.move(1),
  },
  {
    keys: [ch("k"), special("upArrow")],
    description: "previous row (scroll up)",
    hint: "move",
    contexts: views,
    section: "Move",
    run: (a) => a.move(-1),
  },
  {
    keys: [ch("g"), special("home")],
    description: "first row",
    contexts: views,
    section: "Move",
    run: (a) => a.moveTo("first"),
  },
  {
    keys: [ch("G"), special("end")],
    description: "last loaded row; again when more are on the server: load every page",
    contexts: views,
    section: "Move",
    run: (a) => a.moveTo("last"),
  },
  {
    keys: [special("pageDown"), ctrl("f")],
    description: "page down",
    contexts: views,
    section: "Move",
    run: (a) => a.movePage(1),
  },
  {
    keys: [special("pageUp"), ctrl("b")],
    description: "page up",
    contexts: views,
    section: "Move",
    run: (a) => a.movePage(-1),
  },
  // Views.
  {
    keys: [ch("?")],
    description: "this help",
    hint: "help",
    contexts: runViews,
    section: "Views",
    run: (a) => a.showHelp(),
  },
  {
    keys: [special("return")],
    description: "details of the selected run",
    hint: "details",
    contexts: ["list"],
    section: "Views",
    run: (a) => a.openDetails(),
  },
  {
    keys: [special("escape")],
    description: "back to the list",
    hint: "back",
    contexts: pages,
    section: "Views",
    run: (a) => a.back(),
  },
  {
    keys: [ch("/")],
    description: "live text filter of the loaded rows",
    hint: "filter",
    contexts: ["list"],
    section: "Views",
    run: (a) => a.startLine("filter"),
  },
  {
    keys: [ch(":")],
    description: "command line (:filter, :sort, :rollout, :q)",
    hint: "command",
    contexts: runViews,
    section: "Views",
    run: (a) => a.startLine("command"),
  },
  sortBinding("S", "state", "state"),
  sortBinding("J", "jobId", "job id"),
  sortBinding("P", "phaseId", "phase"),
  sortBinding("A", "createTime", "age (creation time)"),
  sortBinding("E", "endTime", "end time"),
  sortBinding("N", "name", "name"),
  // Actions on the selected run.
  {
    keys: [ch("r"), ctrl("r")],
    description: "refresh now",
    contexts: runViews,
    section: "Actions",
    run: (a) => a.refresh(),
  },
  {
    keys: [ch("c")],
    description: "copy the run's name (tmux's buffer inside tmux, else OSC 52)",
    contexts: runViews,
    section: "Actions",
    run: (a) => a.copyName(),
  },
  {
    keys: [ch("o")],
    description: "open the run's rollout in the Cloud Console (copies the URL without a browser)",
    contexts: runViews,
    section: "Actions",
    run: (a) => a.openRollout(),
  },
  {
    keys: [ch("l")],
    description: "open the log of the run's Cloud Build (copies the URL without a browser)",
    contexts: runViews,
    section: "Actions",
    run: (a) => a.openBuildLog(),
  },
  {
    keys: [ch("y")],
    description: "copy the run as JSON",
    contexts: runViews,
    section: "Actions",
    run: (a) => a.copyJson(),
  },
  {
    keys: [ch("t"), ctrl("d")],
    description: "terminate the selected IN_PROGRESS run",
    hint: "terminate",
    contexts: runViews,
    section: "Actions",
    mutates: true,
    run: (a) => a.askTerminate(),
  },
  {
    keys: [ch("q"), ctrl("c")],
    description: "quit",
    hint: "quit",
    contexts: views,
    section: "Actions",
    run: (a) => a.quit(),
  },
  // The terminate dialog: No is the default, only `y` terminates.
  {
    keys: [ch("y")],
    description: "yes, terminate",
    hint: "yes, terminate",
    contexts: ["confirm"],
    section: "Terminate dialog",
    mutates: true,
    run: (a) => a.confirmTerminate(),
  },
  {
    keys: [ch("n"), special("return"), special("escape")],
    description: "no, keep it running (default)",
    hint: "no, keep it running (default)",
    contexts: ["confirm"],
    section: "Terminate dialog",
    mutates: true,
    run: (a) => a.cancelTerminate(),
  },
  {
    keys: [ctrl("c")],
    description: "quit",
    contexts: ["confirm"],
    section: "Terminate dialog",
    mutates: true,
    run: (a) => a.quit(),
  },
  // The text lines; other printable keys are typed into them.
  {
    keys: [special("return")],
    description: "keep the filter",
    hint: "keep the filter",
    contexts: ["filter"],
    section: "Filter line (/)",
    run: (a) => a.submitLine(),
  },
  {
    keys: [special("escape")],
    description: "clear the filter",
    hint: "clear it",
    contexts: ["filter"],
    section: "Filter line (/)",
    run: (a) => a.cancelLine(),
  },
  {
    keys: [special("return")],
    description: "run the command",
    hint: "run the command",
    contexts: ["command"],
    section: "Command line (:)",
    run: (a) => a.submitLine(),
  },
  {
    keys: [special("escape")],
    description: "cancel",
    hint: "cancel",
    contexts: ["command"],
    section: "Command line (:)",
    run: (a) => a.cancelLine(),
  },
  {
    keys: [special("backspace"), special("delete")],
    description: "delete the last character (on an empty command line: leave it)",
    contexts: lines,
    section: "Editing either line",
    run: (a) => a.deleteLastCharacter(),
  },
  {
    keys: [ctrl("u")],
    description: "clear the line",
    contexts: lines,
    section: "Editing either line",
    run: (a) => a.clearLine(),
  },
  {
    keys: [ctrl("c")],
    description: "quit",
    contexts: lines,
    section: "Editing either line",
    run: (a) => a.quit(),
  },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if ("special" in spec) return key[spec.special];
  return spec.input === input && (spec.ctrl ?? false) === key.ctrl;
}

/** Whether `binding` is offered: with --readonly, nothing that changes a run. */
function offered(binding: Binding, options: { readonly readonly: boolean }): boolean {
  return !(options.readonly && binding.mutates === true);
}

/** The context the keys act in: the dialog or a text line when open, else the view. */
export function keyContextOf(state: Pick<State, "mode" | "view">): KeyContext {
  return state.mode === "normal" ? state.view : state.mode;
}

/** Whether a key press would trigger a binding that --readonly turned off (so the UI can say so). */
export function turnedOffByReadonly(context: KeyContext, input: string, key: Key): boolean {
  return keymap.some(
    (binding) =>
      binding.mutates === true &&
      binding.contexts.includes(context) &&
      binding.keys.some((spec) => matches(spec, input, key)),
  );
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
      offered(binding, options) &&
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
  backspace: "Backspace",
  delete: "Del",
};

/** How a key is written in help: "j", "ctrl-r", "PgDn". */
export function keyLabel(spec: KeySpec): string {
  if ("special" in spec) return specialLabels[spec.special];
  return spec.ctrl === true ? `ctrl-${spec.input}` : spec.input;
}

export interface KeyHint {
  /** The keys as shown: "t", "j/k", "n/Enter/Esc". */
  readonly keys: string;
  readonly label: string;
}

/**
 * The hints of a context, in keymap order: bindings with the same hint are one entry ("j/k move").
 * `allKeys` lists every key of a binding (the dialog spells them out); otherwise its first key.
 */
export function hintsFor(
  context: KeyContext,
  options: { readonly readonly: boolean; readonly allKeys?: boolean },
): readonly KeyHint[] {
  // The footer asks on every frame; the keymap never changes, so each answer is computed once.
  const memoKey = `${context} ${options.readonly} ${options.allKeys === true}`;
  const memo = hintMemo.get(memoKey);
  if (memo !== undefined) return memo;
  const hints: { keys: string[]; label: string }[] = [];
  for (const binding of keymap) {
    if (binding.hint === undefined || !binding.contexts.includes(context) || !offered(binding, options))
      continue;
    const keys = options.allKeys === true ? binding.keys.map(keyLabel) : [keyLabel(binding.keys[0]!)];
    const same = hints.find((h) => h.label === binding.hint);
    if (same === undefined) hints.push({ keys, label: binding.hint });
    else same.keys.push(...keys);
  }
  const result = hints.map((h) => ({ keys: h.keys.join("/"), label: h.label }));
  hintMemo.set(memoKey, result);
  return result;
}

const hintMemo = new Map<string, readonly KeyHint[]>();

export interface HelpSection {
  readonly title: Section;
  readonly rows: readonly { readonly keys: string; readonly description: string }[];
}

/** The help screen's sections, in keymap order, without what --readonly turns off. */
export function helpSections(options: { readonly readonly: boolean }): readonly HelpSection[] {
  const sections: { title: Section; rows: { keys: string; description: string }[] }[] = [];
  for (const binding of keymap) {
    if (!offered(binding, options)) continue;
    let section = sections.find((s) => s.title === binding.section);
    if (section === undefined) {
      section = { title: binding.section, rows: [] };
      sections.push(section);
    }
    section.rows.push({ keys: binding.keys.map(keyLabel).join(" "), description: binding.description });
  }
  return sections;
}
