import { describe, expect, it } from "vitest";
import { hintsFor, type KeyContext, keyLabel, keymap } from "../src/keymap.js";
import { helpLines } from "../src/views/help-lines.js";

const contexts: readonly KeyContext[] = ["list", "details", "help", "confirm", "filter", "command"];

describe("the keymap", () => {
  it("binds each key at most once per context, so no binding hides another", () => {
    for (const context of contexts) {
      const seen = new Map<string, string>();
      for (const binding of keymap.filter((b) => b.contexts.includes(context))) {
        for (const spec of binding.keys) {
          const label = keyLabel(spec);
          expect(seen.get(label), `${label} in ${context}`).toBeUndefined();
          seen.set(label, binding.description);
        }
      }
    }
  });

  it("gives the footer of each view and the dialog its hints, grouped by label", () => {
    expect(hintsFor("list", { readonly: false })).toEqual([
      { keys: "j/k", label: "move" },
      { keys: "?", label: "help" },
      { keys: "Enter", label: "details" },
      { keys: "/", label: "filter" },
      { keys: ":", label: "command" },
      { keys: "t", label: "terminate" },
      { keys: "q", label: "quit" },
    ]);
    expect(hintsFor("confirm", { readonly: false, allKeys: true })).toEqual([
      { keys: "y", label: "yes, terminate" },
      { keys: "n/Enter/Esc", label: "no, keep it running (default)" },
    ]);
  });

  it("leaves out what changes a run with --readonly, in hints and help alike", () => {
    expect(hintsFor("list", { readonly: true }).map((h) => h.label)).not.toContain("terminate");
    const help = JSON.stringify(helpLines({ readonly: true, columns: 100 }));
    expect(help).not.toContain("terminate");
  });
});
