// The Worker bench's fake Google, in its own process: `/token` answers the service-account sign-in,
// every other path the JSON body it is sent over IPC. It reports its port back.
import { createServer } from "node:http";

const TOKEN = JSON.stringify({ access_token: "ya29.bench", expires_in: 3600, token_type: "Bearer" });

process.once("message", (body) => {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(req.url === "/token" ? TOKEN : body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
});
process.on("disconnect", () => process.exit(0));
