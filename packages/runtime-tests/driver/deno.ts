// The driver under Deno: `deno run --allow-net=127.0.0.1 driver/deno.ts <bridge URL>`.
import { runDriver } from "./driver.ts";

declare const Deno: { readonly args: readonly string[] };

const bridgeUrl = Deno.args[0];
if (bridgeUrl === undefined) throw new Error("usage: deno run driver/deno.ts <bridge URL>");
await runDriver(bridgeUrl);
