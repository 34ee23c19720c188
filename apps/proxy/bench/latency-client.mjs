// The google-mode latency bench's client, in a process of its own: a small heap, so its own GC
// pauses (which land in whichever request is in flight, direct or proxied) stay short, as a real
// caller's would; the bench process, holding Miniflare and the emulator, paused up to 50 ms.
// The parent sends `{ direct, proxied, warmup, requests }`; it answers with both latency lists,
// sorted, in ms, and the GC pauses seen here.
import { constants, PerformanceObserver } from "node:perf_hooks";
import { Agent, request } from "undici";

process.once("message", async ({ direct, proxied, warmup, requests }) => {
  const agent = new Agent({ connections: 1, keepAliveTimeout: 60_000 });
  const one = async (url) => {
    const start = performance.now();
    const res = await request(url, { dispatcher: agent });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
    return performance.now() - start;
  };
  const gc = { count: 0, major: 0, total: 0, max: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major += 1;
      gc.total += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
    }
  });
  const outDirect = [];
  const outProxied = [];
  for (let i = 0; i < warmup + requests; i += 1) {
    if (i === warmup) observer.observe({ entryTypes: ["gc"] });
    // Alternate which goes first too, so neither always follows the other.
    const directFirst = i % 2 === 0;
    const d1 = directFirst ? await one(direct) : 0;
    const p = await one(proxied);
    const d = directFirst ? d1 : await one(direct);
    if (i >= warmup) {
      outDirect.push(d);
      outProxied.push(p);
    }
  }
  await new Promise((resolve) => setImmediate(resolve)); // the last GC entries
  observer.disconnect();
  await agent.close();
  process.send({
    direct: outDirect.sort((x, y) => x - y),
    proxied: outProxied.sort((x, y) => x - y),
    gc,
  });
});
process.on("disconnect", () => process.exit(0));
