// Etags change on every change of a run: they hash the run's name with a revision number the
// emulator increments on each write. They are opaque to callers.

/** FNV-1a (32 bit) of a string: fast and well spread, which is all an etag needs. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function etagFor(name: string, revision: number): string {
  return `${revision.toString(36)}-${fnv1a(`${name}#${revision}`).toString(16).padStart(8, "0")}`;
}

/** A stable UUID-shaped id derived from a name, for imported runs that carry no uid. */
export function uidFromName(name: string): string {
  const hex = [0, 1, 2, 3].map((i) => fnv1a(`${i}:${name}`).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
