// The baseline: a bare node:http server in its own process, answering each path it was given with
// precomputed bytes (the very bytes the proxy sent for it), and 404 otherwise. The parent sends
// `{ [path]: body }` over IPC and gets the port back.
import { createServer } from "node:http";

process.once("message", (bodies) => {
  const byPath = new Map(Object.entries(bodies).map(([path, body]) => [path, Buffer.from(body, "utf8")]));
  const server = createServer((req, res) => {
    const body = byPath.get(req.url);
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
});
process.on("disconnect", () => process.exit(0));
