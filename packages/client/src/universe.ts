import { ApiError } from "@jobrun/core";

/** Google's public cloud. Other universes (sovereign and air-gapped clouds) have their own domain. */
export const DEFAULT_UNIVERSE_DOMAIN = "googleapis.com";

/**
 * Checks a universe domain ("googleapis.com", "example-cloud.goog") before it becomes part of every
 * endpoint a token is sent to: a host name of letters, digits, hyphens and dots, nothing else.
 */
export function checkUniverseDomain(domain: string, where: string): string {
  if (
    typeof domain !== "string" ||
    domain.length > 253 ||
    !/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i.test(domain)
  ) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `${where} must be a domain name such as "googleapis.com", got ${JSON.stringify(String(domain).slice(0, 100))}`,
    );
  }
  return domain.toLowerCase();
}

/** `https://<service>.<universe>`: where a Google service lives in a universe. */
export function googleServiceUrl(service: string, universeDomain: string): string {
  return `https://${service}.${universeDomain}`;
}

/**
 * The universe a client talks to: its `universeDomain` option, else the credentials' universe, else
 * googleapis.com. An option that differs from the credentials' universe is refused now: their
 * tokens would be refused by every call, with a far less helpful message.
 */
export function resolveUniverseDomain(option: string | undefined, credentials: string | undefined): string {
  const requested = option === undefined ? undefined : checkUniverseDomain(option, "universeDomain");
  if (requested !== undefined && credentials !== undefined && requested !== credentials) {
    throw new ApiError(
      "INVALID_ARGUMENT",
      `universeDomain is ${JSON.stringify(requested)}, but the credentials belong to ${JSON.stringify(credentials)}`,
    );
  }
  return requested ?? credentials ?? DEFAULT_UNIVERSE_DOMAIN;
}
