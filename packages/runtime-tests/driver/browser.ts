// The driver in a browser page: bundled with the client (esbuild, browser conditions) and loaded by
// the page the bridge serves, so the bridge is the page's own origin. A failure is left uncaught:
// the test hears of it as a page error.
import { runDriver } from "./driver.ts";

await runDriver(location.origin);
