// Strong ETags for finished job runs. A SUCCEEDED, FAILED or TERMINATED run never changes again, so
// its bytes (per enum encoding) can be validated and cached; an in-progress run or a list can change
// at any moment and is never given one.

/** A strong ETag of a response body: the base64url SHA-256 of its bytes, quoted. */
export async function strongEtag(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `"${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}"`;
}

/** Whether an If-None-Match header matches an ETag (RFC 9110 §13.1.2: weak comparison, `*` matches). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * Encoded bodies of finished runs, keyed by name, encoding and the run's own etag: a finished run
 * re-read from the backend is then served without encoding and hashing it again. Bounded (the
 * oldest entry goes first), so memory stays flat however many runs are read.
 */
export class EncodedRunMemo {
  readonly #entries = new Map<string, { body: string; etag: string }>();
  constructor(readonly maxEntries = 2000) {}

  get(key: string): { body: string; etag: string } | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: { body: string; etag: string }): void {
    if (this.#entries.size >= this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, value);
  }
}
