// Page tokens (AIP-158): opaque to callers, tamper-evident, and bound to the request they continue.
//
// A token is `base64url(payload) "." base64url(mac)`, where the payload is JSON holding the cursor (the
// sort key of the last run returned) and a digest of parent + filter + orderBy, and the MAC is
// HMAC-SHA256 under the emulator's key, truncated to 128 bits. Editing any byte, or reusing a token
// with other parameters, gives INVALID_ARGUMENT. The HMAC is computed synchronously (@noble/hashes;
// see hash/sha256.ts) because WebCrypto only signs asynchronously.

import {
  ApiError,
  BoundedMap,
  badRequest,
  constantTimeEqual,
  decodeBase64url,
  encodeBase64url,
} from "@jobrun/core";
import { hmacSha256, sha256, utf8 } from "./hash/sha256.js";
import { isSortKeyOf, type OrderSpec, type SortKey } from "./order-by.js";

const VERSION = 1;
const MAC_BYTES = 16;

/** What a token is bound to: a token only continues a listing with the same three values. */
export interface TokenBinding {
  readonly parent: string;
  readonly filter: string;
  readonly orderBy: string;
}

interface Payload {
  readonly v: number;
  /** Digest of the binding. */
  readonly b: string;
  /** The cursor: the sort key of the last run of the previous page. */
  readonly c: unknown;
}

/** How many recently issued or verified tokens (and binding digests) are remembered. */
const REMEMBERED = 1024;

export class PageTokenCodec {
  private readonly secret: string | Uint8Array | (() => Uint8Array);
  private key: Uint8Array | undefined;
  // Tokens this codec issued or already verified, with their payloads, most recent last. A token found
  // here is authentic by construction, so the common case (asking for the next page with the token
  // just issued) costs a map lookup instead of an HMAC.
  private readonly remembered = new BoundedMap<string, Payload>(REMEMBERED);
  // Tokens issued, by payload text. A token is a function of its payload alone (the key is fixed), so a
  // page asked for again (the same cursor under the same binding: every client polling the first page
  // of a rollout) gets its token without another HMAC, which was 15% of a list request's CPU.
  private readonly issued = new BoundedMap<string, string>(REMEMBERED);

  /**
   * `secret`: the MAC key; emulators that share it accept each other's tokens. A function is called
   * for the key when the first token is signed or checked, not before: a fresh random key reads
   * `crypto`, which Node loads (WebCrypto) on first use, and a listing that fits one page never
   * needs a key (the TUI's demo starts without it).
   */
  constructor(secret: string | Uint8Array | (() => Uint8Array)) {
    this.secret = secret;
  }

  encode(binding: TokenBinding, cursor: SortKey): string {
    const payload: Payload = { v: VERSION, b: bindingDigest(binding), c: cursor };
    const text = JSON.stringify(payload);
    let token = this.issued.get(text);
    if (token === undefined) {
      const body = utf8(text);
      token = `${encodeBase64url(body)}.${encodeBase64url(this.mac(body))}`;
      this.issued.set(text, token);
    }
    this.remember(token, payload);
    return token;
  }

  /** The cursor of a token; INVALID_ARGUMENT for a garbage, forged or rebound one. */
  decode(token: string, binding: TokenBinding, spec: OrderSpec): SortKey {
    const payload = this.remembered.get(token) ?? this.verify(token);
    this.remember(token, payload);
    if (payload.v !== VERSION) {
      throw tokenError(`it is a version ${String(payload.v)} token; this server reads version ${VERSION}`);
    }
    if (payload.b !== bindingDigest(binding)) {
      throw tokenError(
        "it was issued for a different parent, filter or orderBy; all of them must match the request that returned it",
      );
    }
    if (!isSortKeyOf(spec, payload.c)) throw tokenError("its cursor does not fit the request's orderBy");
    return payload.c;
  }

  /** Checks the MAC and reads the payload of a token not seen before. */
  private verify(token: string): Payload {
    const [bodyText, macText, extra] = token.split(".");
    const body = bodyText === undefined ? undefined : decodeBase64url(bodyText);
    const mac = macText === undefined ? undefined : decodeBase64url(macText);
    if (
      extra !== undefined ||
      body === undefined ||
      mac === undefined ||
      !constantTimeEqual(mac, this.mac(body))
    ) {
      throw tokenError(
        "it is not a page token this service issued (it may have been altered, or come from another server)",
      );
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      throw tokenError("it is not a page token this service issued");
    }
    if (typeof payload !== "object" || payload === null)
      throw tokenError("it is not a page token this service issued");
    return payload as Payload;
  }

  private remember(token: string, payload: Payload): void {
    this.remembered.set(token, payload);
  }

  private mac(body: Uint8Array): Uint8Array {
    this.key ??=
      typeof this.secret === "string"
        ? utf8(this.secret)
        : typeof this.secret === "function"
          ? this.secret()
          : this.secret;
    return hmacSha256(this.key, body).subarray(0, MAC_BYTES);
  }
}

const digests = new BoundedMap<string, string>(REMEMBERED);

function bindingDigest(binding: TokenBinding): string {
  // Length-prefixed, so no two different bindings serialise alike.
  const text = [binding.parent, binding.filter, binding.orderBy].map((s) => `${s.length}:${s}`).join("");
  let digest = digests.get(text);
  if (digest === undefined) {
    digest = encodeBase64url(sha256(utf8(text)).subarray(0, 12));
    digests.set(text, digest);
  }
  return digest;
}

function tokenError(reason: string): ApiError {
  const message = `invalid pageToken: ${reason}`;
  return new ApiError("INVALID_ARGUMENT", message, {
    details: [badRequest("pageToken", message)],
    reason: "INVALID_PAGE_TOKEN",
  });
}

/** A fresh random MAC key (crypto.getRandomValues exists in Node, Workers and browsers). */
export function randomTokenSecret(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}
