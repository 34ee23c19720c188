// Cutting text that is echoed back to a person: error messages quote what the caller sent, and a
// 10 KB name must not make a 10 KB message.

/** `text` itself when it has at most `maxLength` characters, else its start and "…", `maxLength` in all. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return maxLength <= 1 ? "…".slice(0, maxLength) : `${text.slice(0, maxLength - 1)}…`;
}

/** `text` truncated to `maxLength` characters and quoted as a JSON string, for error messages. */
export function quote(text: string, maxLength: number): string {
  return JSON.stringify(truncate(text, maxLength));
}
