// The baseline: a bare node:http server in its own process, answering each path it was given with
// the very response the proxy sent for it: the same body bytes and the same headers, the request id
// drawn fresh per request as the proxy draws it (node:http adds Date, Connection, Keep-Alive and
// Content-Length for both alike). 404 otherwise. The parent sends `{ [path]: { body, headers } }`
// over IPC and gets the port back; with `bodyOnly` set in a path's entry, only the body and its
// content type are sent (the baseline before the headers were matched, printed for reference).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

process.once("message", (answers) => {
  const byPath = new Map(
    Object.entries(answers).map(([path, { body, headers }]) => [
      path,
      { body: Buffer.from(body, "utf8"), headers: Object.entries(headers) },
    ]),
  );
  const server = createServer((req, res) => {
    const answer = byPath.get(req.url);
    if (answer === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    const headers = {};
    for (const [name, value] of answer.headers)
      headers[name] = name === "x-request-id" ? randomUUID() : value;
    res.writeHead(200, headers);
    res.end(answer.body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
});
process.on("disconnect", () => process.exit(0));
