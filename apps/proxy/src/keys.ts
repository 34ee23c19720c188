// API keys. A caller presents the key itself; the proxy stores only its SHA-256. A key is 32 random
// bytes, so a plain (unsalted, fast) hash is enough: there is nothing to brute-force. Lookups compare
// against every stored hash in constant time, so timing reveals neither which key nor how much matched.

import { parseScopes } from "./scopes.js";
import type { Caller, Role } from "./types.js";

/** One entry of the key file. */
export interface ApiKeyRecord {
  /** A short, non-secret name for logs and rate limits: "dashboard", "ci". */
  readonly id: string;
  /** `sha256:<64 hex digits>` of the key. */
  readonly hash: string;
  readonly role: Role;
  /** Resource-name prefixes: `projects/p`, `projects/p/locations/l`, `…/deliveryPipelines/d`. */
  readonly scopes: readonly string[];
  /** Whether this caller may send `overrideDeployPolicy` with terminate. Default false. */
  readonly overrideDeployPolicy?: boolean;
}

/** Keys are `jrp_` and 43 base64url characters (32 random bytes). The prefix makes leaked keys greppable. */
export const API_KEY_PREFIX = "jrp_";

/** A fresh random API key. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return API_KEY_PREFIX + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The stored form of a key: `sha256:<hex>`. */
export async function hashApiKey(key: string): Promise<string> {
  return `sha256:${toHex(await sha256(key))}`;
}

/**
 * Reads the key file `{"keys":[{id, hash, role, scopes, overrideDeployPolicy?}]}` (JSON text or
 * parsed). Throws an Error whose message names the offending entry and field; nothing is half-loaded.
 */
export function parseKeyFile(document: unknown): ApiKeyRecord[] {
  let json = document;
  if (typeof json === "string") {
    try {
      json = JSON.parse(json);
    } catch (cause) {
      throw new Error(`the key file is not JSON (${(cause as Error).message})`);
    }
  }
  const keys = typeof json === "object" && json !== null ? (json as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error(`the key file must be an object {"keys": [...]}`);
  const seenIds = new Set<string>();
  const seenHashes = new Set<string>();
  return keys.map((entry, i): ApiKeyRecord => {
    const at = `keys[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new Error(`${at} must be an object`);
    }
    const { id, hash, role, scopes, overrideDeployPolicy, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      const hint = unknown.includes("key")
        ? " (store the key's hash, never the key: jobrun-proxy hash-key)"
        : "";
      throw new Error(`${at} has unknown field "${unknown[0]}"${hint}`);
    }
    if (typeof id !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      throw new Error(`${at}.id must be 1-64 letters, digits, ".", "_" or "-"`);
    }
    if (seenIds.has(id)) throw new Error(`${at}.id "${id}" is used twice`);
    seenIds.add(id);
    if (typeof hash !== "string" || !/^sha256:[0-9a-f]{64}$/.test(hash)) {
      throw new Error(`${at}.hash must be "sha256:" and 64 lowercase hex digits`);
    }
    if (seenHashes.has(hash)) throw new Error(`${at}.hash is the same as an earlier key's`);
    seenHashes.add(hash);
    if (role !== "reader" && role !== "operator")
      throw new Error(`${at}.role must be "reader" or "operator"`);
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => typeof s === "string")) {
      throw new Error(
        `${at}.scopes must be a non-empty array of resource-name prefixes such as "projects/p"`,
      );
    }
    try {
      parseScopes(scopes as string[]);
    } catch (error) {
      throw new Error(`${at}.scopes: ${(error as Error).message}`);
    }
    if (overrideDeployPolicy !== undefined && typeof overrideDeployPolicy !== "boolean") {
      throw new Error(`${at}.overrideDeployPolicy must be true or false`);
    }
    return {
      id,
      hash,
      role,
      scopes: scopes as string[],
      overrideDeployPolicy: overrideDeployPolicy === true,
    };
  });
}

/** Resolves presented keys to callers. */
export interface KeyStore {
  /** The caller a key belongs to, or undefined. Takes the same time whichever key matches, or none. */
  verify(presented: string): Promise<Caller | undefined>;
  readonly size: number;
}

export function createKeyStore(records: readonly ApiKeyRecord[]): KeyStore {
  const entries = records.map((record) => ({
    digest: fromHex(record.hash.slice("sha256:".length)),
    caller: {
      id: `key:${record.id}`,
      role: record.role,
      scopes: record.scopes,
      overrideDeployPolicy: record.overrideDeployPolicy === true,
    } satisfies Caller,
  }));
  return {
    size: entries.length,
    async verify(presented) {
      const digest = await sha256(presented);
      let found: Caller | undefined;
      // No early exit: every stored hash is compared, every byte of each.
      for (const entry of entries) {
        if (constantTimeEqual(digest, entry.digest)) found = entry.caller;
      }
      return found;
    },
  };
}

/** Compares two byte arrays in time that depends only on their length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
