// The proxy's stance on Google's system parameters that carry credentials. Google accepts an API key
// as `key=` and a token as `access_token=` in the URL; the proxy does not: URLs end up in access
// logs, browser histories, Referer headers and shell histories, and a key written there is a key
// given away. The refusal says where the credential goes instead.

import { badRequest } from "@jobrun/core";
import { proxyError } from "./errors.js";

/** The query parameters that would carry a credential. */
export type QueryCredential = "key" | "access_token" | "oauth_token";

/** Refuses a request that carries a credential in its query (400), naming the parameter, never its value. */
export function refuseCredentialsInQuery(given: readonly QueryCredential[]): void {
  const name = given[0];
  if (name === undefined) return;
  const where =
    name === "key"
      ? "send an API key in the x-goog-api-key header or as Authorization: Bearer"
      : "send the token in the Authorization header (Authorization: Bearer …)";
  const reason = `carries a credential in the URL, where it ends up in logs; ${where}`;
  throw proxyError("INVALID_ARGUMENT", "CREDENTIALS_IN_QUERY", `query parameter ${name} ${reason}`, {
    details: [badRequest(name, reason)],
  });
}

/** The credential parameters a raw query string carries (plain or `$` spelling), without parsing all of it. */
export function credentialsInQuery(search: string): QueryCredential[] {
  if (search === "") return [];
  const found: QueryCredential[] = [];
  for (const [key] of new URLSearchParams(search)) {
    const name = key.startsWith("$") ? key.slice(1) : key;
    if ((name === "key" || name === "access_token" || name === "oauth_token") && !found.includes(name)) {
      found.push(name);
    }
  }
  return found;
}
