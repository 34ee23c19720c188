// Base64url without padding (RFC 4648 §5): safe in a URL, a header or a query string as it is.
// protobuf-es (a dependency of every jobrun package) does the coding; this adds strictness.

import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  return base64Encode(bytes, "url");
}

/**
 * Decodes canonical base64url; `undefined` for anything else: padding, white space, the `+` `/`
 * alphabet, or set leftover bits. protobuf-es' decoder forgives all of those, so two different texts
 * could decode to the same bytes (a malleable token); only the text that encodes back to itself passes.
 */
export function decodeBase64url(text: string): Uint8Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(text);
  } catch {
    return undefined;
  }
  return base64Encode(bytes, "url") === text ? bytes : undefined;
}
