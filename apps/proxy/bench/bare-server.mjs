// The baseline: a bare node:http server in its own process, answering each path it was given with
// the very response the proxy sent for it: the same body bytes and the same headers, the request id
// drawn fresh per request as the proxy draws it (node:http adds Date, Connection and Keep-Alive for
// both alike). 404 otherwise. The parent sends `{ [path]: { body, headers } }` over IPC and gets the
// port back; the body-only reference server is this one given the content type as its only header.
//
// The body's length is sent as Content-Length, as the proxy sends it. Left to itself, node:http
// frames a response whose head is written before its body (writeHead, then end) in chunked
// encoding: other bytes than the proxy's. (What autocannon spends reading a page follows the pace
// of the answers more than their framing: see the proxy README's throughput section.)
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

/** The body's bytes, and the headers to send with them: the given ones, then the body's length. */
function answerOf(body, headers) {
  const bytes = Buffer.from(body, "utf8");
  return { body: bytes, headers: [...Object.entries(headers), ["content-length", String(bytes.byteLength)]] };
}

process.once("message", (answers) => {
  const byPath = new Map(
    Object.entries(answers).map(([path, { body, headers }]) => [path, answerOf(body, headers)]),
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
