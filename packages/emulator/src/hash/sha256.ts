// SHA-256 and HMAC-SHA256 for page tokens, computed synchronously: WebCrypto only signs
// asynchronously, and a token check sits on the hot path of every page. @noble/hashes is audited,
// dependency-free and runs unchanged in Node, Workers and browsers.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, message);
}
