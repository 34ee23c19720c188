// A watch stream written straight to Node's ServerResponse. Handing @hono/node-server a web
// ReadableStream costs, per frame and watcher, a pull promise of ours and a read promise and pump
// step of the adapter's; a fan-out to 1,000 watchers was 1,000 such chains. Here a change is one
// `res.write` of the shared buffer per watcher (Node corks the socket for the rest of the tick, so
// the changes of one listing leave in one write), and what the response holds unsent
// (`writableLength`, its socket's buffer included) is the slow reader's backlog.
//
// Typed by shape, without `node:` imports, so the edge build (no Node types) compiles the hub that
// uses it. The response is @hono/node-server's `outgoing` binding, read in node-server-adapter.ts
// like every other binding; the answer handed back to the adapter says it was already sent.

import type { NodeResponseLike } from "../node-server-adapter.js";
import { type StreamSetup, WatchStream } from "./stream.js";

export class NodeWatchStream extends WatchStream {
  constructor(
    setup: StreamSetup,
    private readonly response: NodeResponseLike,
    private headers: Record<string, string> | undefined,
  ) {
    super(setup);
  }

  /** Sends the head, then `frames`; a caller that left while the channel got ready is let go. */
  override start(frames: readonly Uint8Array[]): void {
    if (this.response.destroyed || this.response.writableEnded) {
      // Its "close" has come and gone.
      this.gone();
      return;
    }
    this.response.once("close", () => this.gone());
    this.response.writeHead(200, this.headers ?? {});
    this.headers = undefined; // sent: not kept for the stream's life
    super.start(frames);
  }

  protected send(frame: Uint8Array): number {
    this.response.write(frame);
    return this.response.writableLength;
  }

  protected dropBacklog(): void {
    // What Node holds cannot be taken back; the error event follows it, and nothing more does.
  }

  protected close(): void {
    this.response.end();
  }
}
