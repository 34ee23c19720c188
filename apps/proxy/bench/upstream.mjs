// The bench's fake Google, in its own process: its work and its GC pauses then never sit in the
// proxy's event loop, as a real upstream's would not. It answers every request with the JSON body it
// is sent over IPC, and reports its port back.
import { createServer } from "node:http";

process.once("message", (body) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
});
process.on("disconnect", () => process.exit(0));
