// A watch stream as the body of a web ReadableStream: the transport where there is no Node response
// to write to (Workers and their Durable Objects, `app.request()`). Frames wait in a queue of our own
// until the connection takes them (the stream is pulled, so a reader that stops reading stops the
// pulling), which is what lets a slow reader's backlog be measured and dropped.

import { type StreamSetup, WatchStream } from "./stream.js";

export class WebWatchStream extends WatchStream {
  readonly body: ReadableStream<Uint8Array>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Wakes a pull that waits for frames. */
  private wake: (() => void) | undefined;

  constructor(setup: StreamSetup) {
    super(setup);
    this.body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.pull(controller),
        cancel: () => {
          // The caller went away.
          this.pending = [];
          this.pendingBytes = 0;
          this.gone();
        },
      },
      { highWaterMark: 0 },
    );
  }

  protected send(frame: Uint8Array): number {
    this.pending.push(frame);
    this.pendingBytes += frame.byteLength;
    this.wake?.();
    return this.pendingBytes;
  }

  protected dropBacklog(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  protected close(): void {
    this.wake?.();
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (this.pending.length === 0 && !this.finishing) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    if (this.pending.length > 0) {
      // Each chunk as it is: a change's bytes are shared with every other stream, never copied.
      for (const chunk of this.pending) controller.enqueue(chunk);
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    controller.close();
  }
}
