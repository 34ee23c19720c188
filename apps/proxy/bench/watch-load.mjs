// The watch benchmark's load generator, in its own process: opens N watch streams on the proxy and,
// for each change event, notes when it arrived (wall-clock ms, comparable across processes on one
// machine). Driven by messages from bench/watch-emulator.ts: { open: { url, count } }, { expect: label }
// (acknowledged with { expecting } at once, then answered with { arrivals }), { close }.
import { request } from "node:http";

const now = () => performance.timeOrigin + performance.now();
let streams = [];
let arrivals = [];
let label = "";

function open(url, count) {
  return new Promise((resolve, reject) => {
    let synced = 0;
    const target = new URL(url);
    for (let i = 0; i < count; i += 1) {
      const req = request({
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent: false,
      });
      req.on("error", reject);
      req.on("response", (res) => {
        if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk) => {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.includes('"type":"SYNCED"')) {
              synced += 1;
              if (synced === count) resolve();
            } else if (block.includes('"type":"CHANGED"') && block.includes(label)) {
              arrivals.push(now());
            }
          }
        });
      });
      req.end();
      streams.push(req);
    }
  });
}

process.on("message", async (message) => {
  if (message.open !== undefined) {
    await open(message.open.url, message.open.count);
    process.send({ opened: streams.length });
  } else if (message.expect !== undefined) {
    label = message.expect.label;
    arrivals = [];
    process.send({ expecting: label });
    const deadline = Date.now() + 10_000;
    while (arrivals.length < message.expect.count && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    process.send({ arrivals });
  } else if (message.close) {
    for (const req of streams) req.destroy();
    streams = [];
    process.send({ closed: true });
  }
});
process.send({ ready: true });
