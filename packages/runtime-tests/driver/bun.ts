// The driver under Bun: `bun run driver/bun.ts <bridge URL>`.
import { runDriver } from "./driver.ts";

declare const Bun: { readonly argv: readonly string[] };

const bridgeUrl = Bun.argv[2];
if (bridgeUrl === undefined) throw new Error("usage: bun run driver/bun.ts <bridge URL>");
await runDriver(bridgeUrl);
