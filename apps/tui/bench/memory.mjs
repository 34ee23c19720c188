// RSS of the UI before and after loading N runs: `node bench/memory.mjs N`. Prints
// {"before":…,"after":…} in bytes. "Before" is the UI drawn with no runs; "after" is with N runs
// loaded, after 300 key presses, the spinner and a refresh (the garbage they leave counts, as it
// would for a user).
import "./runtime.mjs";
import { benchRuns, sleep } from "./support.mjs";
import { startUi } from "./ui.mjs";

const count = Number(process.argv[2] ?? 10_000);
// The server's list: empty at first, then every run (a refresh reads them all).
const held = [];
const ui = startUi(held);
await ui.session.idle();
await sleep(500);
const before = process.memoryUsage().rss;
held.push(...benchRuns(count, Date.now()));
// As after scrolling to the end; later refreshes re-read them all.
ui.store.dispatch({ type: "loaded", runs: [...held], nextPageToken: "", atMs: Date.now(), append: false });
for (let i = 0; i < 300; i++) {
  ui.stdin.press(i % 40 < 20 ? "j" : "k");
  await sleep(20);
}
await ui.session.refresh();
await sleep(500);
const loaded = ui.store.getState().runs.length;
const after = process.memoryUsage().rss;
ui.stop();
process.stdout.write(`${JSON.stringify({ before, after, loaded })}\n`);
process.exit(0);
