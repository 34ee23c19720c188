// Strong ETags for finished job runs. A SUCCEEDED, FAILED or TERMINATED run never changes again, so
// its bytes (per representation: wire format, enum encoding, indentation, field selection) can be
// validated and cached; an in-progress run or a list can change at any moment and is never given one.

import { BoundedMemo } from "../bounded-memo.js";

/** The part of node:crypto used here, so this file needs no Node types (the Worker build has none). */
interface NodeHashing {
  createHash(algorithm: "sha256"): {
    update(data: string | Uint8Array): { digest(encoding: "base64url"): string };
  };
}

/**
 * node:crypto when the runtime has it (Node ≥ 20.16 hands built-ins out through
 * `process.getBuiltinModule`; workerd without nodejs_compat has no `process`). There a hash is one
 * synchronous call of a few µs; WebCrypto's digest goes through libuv's thread pool and back, which
 * on Node added a thread hop and a fifth of a forwarded GET's latency.
 */
const nodeHashing = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:crypto") as NodeHashing | undefined;

/** A strong ETag of a response body: the base64url SHA-256 of its bytes, quoted. */
export async function strongEtag(body: string | Uint8Array<ArrayBuffer>): Promise<string> {
  if (nodeHashing !== undefined)
    return `"${nodeHashing.createHash("sha256").update(body).digest("base64url")}"`;
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
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

/** A finished run's encoded body (JSON text, or binary for `alt=proto`), its type and its strong ETag. */
export interface EncodedRun {
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly contentType: string;
  readonly etag: string;
}

/**
 * Encoded bodies of finished runs, so a finished run read again is served without encoding and
 * hashing it again. Two keys:
 * - the run message itself, when it is frozen: an in-memory backend (the emulator) hands out the same
 *   immutable snapshot on every read, so its identity names its bytes. Held weakly: the entry goes
 *   when the backend lets go of the snapshot.
 * - name, representation and the run's own etag, for backends that build a fresh message per read (the
 *   google client). Bounded (the oldest entry goes first), so memory stays flat.
 */
export class EncodedRunMemo {
  readonly #bySnapshot = new WeakMap<object, Map<string, EncodedRun>>();
  readonly #byEtag: BoundedMemo<EncodedRun>;
  constructor(maxEntries = 2000) {
    this.#byEtag = new BoundedMemo(maxEntries);
  }

  get(run: { readonly name: string; readonly etag: string }, representation: string): EncodedRun | undefined {
    const hit = this.#bySnapshot.get(run)?.get(representation);
    if (hit !== undefined || run.etag === "") return hit;
    return this.#byEtag.get(`${run.name}\n${representation}\n${run.etag}`);
  }

  set(
    run: { readonly name: string; readonly etag: string },
    representation: string,
    entry: EncodedRun,
  ): void {
    if (Object.isFrozen(run)) {
      let byEncoding = this.#bySnapshot.get(run);
      if (byEncoding === undefined) {
        byEncoding = new Map();
        this.#bySnapshot.set(run, byEncoding);
      }
      byEncoding.set(representation, entry);
    }
    if (run.etag !== "") this.#byEtag.set(`${run.name}\n${representation}\n${run.etag}`, entry);
  }
}
