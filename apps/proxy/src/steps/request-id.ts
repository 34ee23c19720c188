/**
 * The global `crypto`, read once: on Node 20 the global name is an accessor, and reading it per
 * request called its getter.
 */
const webCrypto = crypto;

/** Only ids that are safe to echo into a header and a log line are taken from the caller. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id of a request, echoed in `x-request-id` (errors and logs carry it too). A caller's own id
 * (`offered`) is kept when it is harmless, so traces can be joined across services; otherwise a UUID.
 */
export function requestIdOf(offered: string | undefined): string {
  return offered !== undefined && SAFE_ID.test(offered) ? offered : webCrypto.randomUUID();
}
