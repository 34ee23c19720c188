// Reads a Server-Sent Events response over a real connection, as `curl -N` would: the status and
// headers as they arrive, then one event at a time as its blank line arrives. Written against the
// event stream format directly, so a test sees exactly the proxy's bytes.
import { type IncomingMessage, request } from "node:http";

export interface SseMessage {
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly data: string | undefined;
  /** The comment lines (heartbeats) since the previous event. */
  readonly comments: readonly string[];
  /** The `retry:` field, when the event block had one. */
  readonly retry: number | undefined;
  /** When its last byte arrived (performance.now()). */
  readonly receivedAt: number;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  /** The whole body of a response that is not an event stream (an error answer). */
  readonly text: () => Promise<string>;
  /** The next event (comment-only blocks are skipped unless `comments` is set), or undefined at the end. */
  next(options?: { timeoutMs?: number; comments?: boolean }): Promise<SseMessage | undefined>;
  /** The data of the next `count` events, parsed as JSON. */
  take(count: number, timeoutMs?: number): Promise<unknown[]>;
  /** Stops reading from the socket (the kernel's buffers and then the server's fill up). */
  pause(): void;
  resume(): void;
  /** Everything until the server ends the stream. */
  rest(timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
  /** Resolves when the server has ended the response. */
  readonly ended: Promise<void>;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: { accept: "text/event-stream", ...headers },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      res.setEncoding("utf8");
      let buffer = "";
      const blocks: { text: string; at: number }[] = [];
      let waiting: (() => void) | undefined;
      let done = false;
      const ended = new Promise<void>((resolveEnded) => {
        res.on("end", () => {
          done = true;
          waiting?.();
          resolveEnded();
        });
        res.on("close", () => {
          done = true;
          waiting?.();
          resolveEnded();
        });
      });
      const isStream = (res.headers["content-type"] ?? "").startsWith("text/event-stream");
      let body = "";
      res.on("data", (chunk: string) => {
        if (!isStream) {
          body += chunk;
          return;
        }
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          blocks.push({ text: buffer.slice(0, end), at: performance.now() });
          buffer = buffer.slice(end + 2);
        }
        waiting?.();
      });
      const nextBlock = async (timeoutMs: number): Promise<{ text: string; at: number } | undefined> => {
        const deadline = Date.now() + timeoutMs;
        while (blocks.length === 0) {
          if (done) return undefined;
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
          await new Promise<void>((wake) => {
            const timer = setTimeout(wake, left);
            waiting = () => {
              clearTimeout(timer);
              waiting = undefined;
              wake();
            };
          });
        }
        return blocks.shift();
      };
      const connection: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: async () => {
          await ended;
          return body;
        },
        async next({ timeoutMs = 2000, comments = false } = {}) {
          const seen: string[] = [];
          for (;;) {
            const block = await nextBlock(timeoutMs);
            if (block === undefined) return undefined;
            const message = parseBlock(block.text, seen, block.at);
            if (message !== undefined || comments)
              return message ?? { ...EMPTY, comments: [...seen], receivedAt: block.at };
          }
        },
        async take(count, timeoutMs = 2000) {
          const out: unknown[] = [];
          while (out.length < count) {
            const message = await connection.next({ timeoutMs });
            if (message === undefined) throw new Error(`the stream ended after ${out.length} events`);
            if (message.data !== undefined) out.push(JSON.parse(message.data));
          }
          return out;
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        async rest(timeoutMs = 5000) {
          const out: SseMessage[] = [];
          for (;;) {
            const message = await connection.next({ timeoutMs, comments: true });
            if (message === undefined) return out;
            out.push(message);
          }
        },
        close: () => {
          req.destroy();
          res.destroy();
        },
        ended,
      };
      resolve(connection);
    });
    req.end();
  });
}

const EMPTY: SseMessage = {
  event: undefined,
  id: undefined,
  data: undefined,
  comments: [],
  retry: undefined,
  receivedAt: 0,
};

/** One event block; undefined for a block of comments (or a bare retry) only. */
function parseBlock(block: string, comments: string[], receivedAt: number): SseMessage | undefined {
  let event: string | undefined;
  let id: string | undefined;
  let retry: number | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) {
      comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "id") id = value;
    else if (field === "data") data.push(value);
    else if (field === "retry") retry = Number(value);
  }
  if (data.length === 0)
    return retry === undefined ? undefined : { ...EMPTY, retry, comments: [...comments], receivedAt };
  return { event, id, data: data.join("\n"), comments: [...comments], retry, receivedAt };
}

/** A watch event's JSON data in brief, as the tests compare it: "CHANGED <run id> TERMINATING". */
export function briefWatchJson(data: unknown): string {
  const { type, jobRun } = data as { type: string; jobRun?: { name: string; state: string } };
  if (jobRun === undefined) return String(type);
  return `${type} ${jobRun.name.slice(jobRun.name.lastIndexOf("/") + 1)} ${jobRun.state}`;
}
