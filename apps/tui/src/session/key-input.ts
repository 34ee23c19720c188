// From what the terminal reads to the keymap: splits reads that hold several keys, types text into
// the filter and command lines, and runs the binding of every other key.
import type { Key } from "ink";
import { bindingFor, keyContextOf, turnedOffByReadonly } from "../keymap.js";
import type { Store } from "../state/store.js";
import type { UserActions } from "./user-actions.js";

/** Whether a read is text to type: no control characters. */
function isPrintable(input: string): boolean {
  return input !== "" && Array.from(input).every((char) => char >= " " && char !== "\u007f");
}

/** One character of a multi-key read as Ink would have reported it alone. */
function singleKey(char: string, key: Key): [string, Key] {
  const isReturn = char === "\r" || char === "\n";
  const isBackspace = char === "\u007f" || char === "\b";
  const named = { ...key, return: isReturn, backspace: isBackspace, shift: /[A-Z]/.test(char) };
  return [isReturn || isBackspace ? "" : char, named];
}

const editsLine = (mode: string) => mode === "filter" || mode === "command";

/** The handler of Ink's key reads for this store and these actions. */
export function createKeyInput(store: Store, actions: UserActions): (input: string, key: Key) => void {
  function handleKey(input: string, key: Key): void {
    const s = store.getState();
    if (input.length > 1 && !key.ctrl && !key.meta) {
      if (!editsLine(s.mode)) {
        // A terminal delivers keys typed quickly, or held down, in one read ("jjj"): each
        // character is its own key press.
        for (const char of Array.from(input)) handleKey(...singleKey(char, key));
        return;
      }
      if (/[\r\n\u007f\b]/.test(input)) {
        // Text and an Enter typed in one go ("verify\r") arrive as one read: take them in order,
        // and what follows a submitted line as key presses again.
        const chars = Array.from(input);
        for (const [i, char] of chars.entries()) {
          if (!editsLine(store.getState().mode)) {
            handleKey(chars.slice(i).join(""), key);
            return;
          }
          handleKey(...singleKey(char, key));
        }
        return;
      }
    }
    const binding = bindingFor(keyContextOf(s), input, key, { readonly: s.readonly });
    if (binding !== undefined) binding.run(actions);
    else if (editsLine(s.mode) && !key.ctrl && !key.meta && isPrintable(input)) actions.typeText(input);
    else if (s.readonly && turnedOffByReadonly(keyContextOf(s), input, key)) actions.refuseReadonly();
    // Any key ends the message shown before it (a binding that showed a new one keeps that).
    const after = store.getState();
    if (s.message !== undefined && after.message === s.message && s.mode === "normal")
      store.dispatch({ type: "showMessage", message: undefined });
  }
  return handleKey;
}
