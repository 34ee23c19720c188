// Page tokens (AIP-158): opaque to callers, tamper-evident, and bound to the request they continue.
//
// A token is `base64url(payload) "." base64url(mac)`, where the payload is JSON holding the cursor (the
// sort key of the last run returned) and a digest of parent + filter + orderBy, and the MAC is
// HMAC-SHA256 under the emulator's key, truncated to 128 bits. Editing any byte, or reusing a token
// with other parameters, gives INVALID_ARGUMENT. The HMAC is computed synchronously (our own SHA-256;
// see hash/sha256.ts) because WebCrypto only signs asynchronously.

import { ApiError, badRequest } from "@jobrun/core";
import { decodeBase64url, encodeBase64url } from "./hash/base64url.js";
import { equalBytes, hmacSha256, sha256, utf8 } from "./hash/sha256.js";
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

export class PageTokenCodec {
  private readonly key: Uint8Array;

  /** `secret`: the MAC key; emulators that share it accept each other's tokens. */
  constructor(secret: string | Uint8Array) {
    this.key = typeof secret === "string" ? utf8(secret) : secret;
  }

  encode(binding: TokenBinding, cursor: SortKey): string {
    const payload: Payload = { v: VERSION, b: bindingDigest(binding), c: cursor };
    const body = utf8(JSON.stringify(payload));
    return `${encodeBase64url(body)}.${encodeBase64url(this.mac(body))}`;
  }

  /** The cursor of a token; INVALID_ARGUMENT for a garbage, forged or rebound one. */
  decode(token: string, binding: TokenBinding, spec: OrderSpec): SortKey {
    const [bodyText, macText, extra] = token.split(".");
    const body = bodyText === undefined ? undefined : decodeBase64url(bodyText);
    const mac = macText === undefined ? undefined : decodeBase64url(macText);
    if (extra !== undefined || body === undefined || mac === undefined || !equalBytes(mac, this.mac(body))) {
      throw tokenError(
        "it is not a page token this service issued (it may have been altered, or come from another server)",
      );
    }
    let payload: Payload;
    try {
      payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as Payload;
    } catch {
      throw tokenError("it is not a page token this service issued");
    }
    if (payload.v !== VERSION)
      throw tokenError(`it is a version ${String(payload.v)} token; this server reads version ${VERSION}`);
    if (payload.b !== bindingDigest(binding)) {
      throw tokenError(
        "it was issued for a different parent, filter or orderBy; all of them must match the request that returned it",
      );
    }
    if (!isSortKeyOf(spec, payload.c)) throw tokenError("its cursor does not fit the request's orderBy");
    return payload.c;
  }

  private mac(body: Uint8Array): Uint8Array {
    return hmacSha256(this.key, body).subarray(0, MAC_BYTES);
  }
}

function bindingDigest(binding: TokenBinding): string {
  // Length-prefixed, so no two different bindings serialise alike.
  const text = [binding.parent, binding.filter, binding.orderBy].map((s) => `${s.length}:${s}`).join("");
  return encodeBase64url(sha256(utf8(text)).subarray(0, 12));
}

function tokenError(reason: string): ApiError {
  const message = `invalid pageToken: ${reason}`;
  return new ApiError("INVALID_ARGUMENT", message, { details: [badRequest("pageToken", message)] });
}

/** A fresh random MAC key (crypto.getRandomValues exists in Node, Workers and browsers). */
export function randomTokenSecret(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}
