// The `:` command line. Parsing is pure; the session carries the command out.
import { isApiError, parseRolloutName, rolloutName, WILDCARD } from "@jobrun/core";
import { type SortOrder, sortFieldNamed, sortFields } from "./state/sort.js";

export type Command =
  | { readonly kind: "filter"; readonly expression: string }
  | { readonly kind: "sort"; readonly order: SortOrder | undefined }
  | { readonly kind: "rollout"; readonly parent: string }
  | { readonly kind: "quit" };

export type CommandResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly error: string };

/** The commands as the help screen lists them. */
export const commandHelp: readonly { readonly usage: string; readonly description: string }[] = [
  {
    usage: ":filter <AIP-160 expression>",
    description: 'server-side filter, e.g. state="FAILED"; ":filter" alone clears it',
  },
  {
    usage: ":sort <field> [desc]",
    description: `server-side order by ${sortFields.map((f) => f.field).join(", ")}; ":sort" alone resets`,
  },
  {
    usage: ":rollout <name|id|->",
    description: "another rollout: a full name, an id in the starting scope, or - for all of them",
  },
  { usage: ":q", description: "quit" },
];

/** Parses a command line (without the leading ":"). `home` is the flags' scope, for `:rollout <id|->`. */
export function parseCommand(line: string, home: string): CommandResult {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const word = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space === -1 ? "" : trimmed.slice(space + 1).trim();
  switch (word) {
    case "q":
    case "q!":
    case "quit":
      return { ok: true, command: { kind: "quit" } };
    case "filter":
      return { ok: true, command: { kind: "filter", expression: rest } };
    case "sort":
      return parseSort(rest);
    case "rollout":
      return parseRollout(rest, home);
    case "":
      return { ok: false, error: "Empty command; try :filter, :sort, :rollout or :q." };
    default:
      return {
        ok: false,
        error: `Unknown command ":${word}"; try :filter, :sort, :rollout or :q (? lists them).`,
      };
  }
}

function parseSort(rest: string): CommandResult {
  if (rest === "") return { ok: true, command: { kind: "sort", order: undefined } };
  const [fieldWord = "", direction, extra] = rest.split(/\s+/);
  const field = sortFieldNamed(fieldWord);
  if (field === undefined) {
    return {
      ok: false,
      error: `Cannot sort by "${fieldWord}"; use one of ${sortFields.map((f) => f.field).join(", ")}.`,
    };
  }
  if (extra !== undefined || (direction !== undefined && !/^(asc|desc)$/i.test(direction))) {
    return {
      ok: false,
      error: `Usage: :sort <field> [desc]; "${rest}" has more than a field and a direction.`,
    };
  }
  return {
    ok: true,
    command: { kind: "sort", order: { field, descending: direction?.toLowerCase() === "desc" } },
  };
}

/**
 * `:rollout <id>` is a rollout of the scope jobrun started in (`home`, the flags' scope), `:rollout -`
 * every rollout of it, and a full name any rollout at all.
 */
function parseRollout(rest: string, home: string): CommandResult {
  if (rest === "") return { ok: false, error: "Usage: :rollout <full rollout name | rollout id | ->" };
  try {
    if (rest.includes("/")) {
      parseRolloutName(rest, { wildcards: true });
      return { ok: true, command: { kind: "rollout", parent: rest } };
    }
    const scope = parseRolloutName(home, { wildcards: true });
    const rollout = rest === WILDCARD ? WILDCARD : rest;
    return {
      ok: true,
      command: { kind: "rollout", parent: rolloutName({ ...scope, rollout }, { wildcards: true }) },
    };
  } catch (error) {
    return { ok: false, error: `Not a rollout: ${isApiError(error) ? error.message : String(error)}` };
  }
}
