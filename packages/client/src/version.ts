// Written by scripts/write-version.mjs from package.json before every build: the user agent names
// the exact version without importing package.json, which edge bundlers and browsers cannot.
/** The version of @jobrun/client. */
export const CLIENT_VERSION = "0.0.0";
