// One caller's watch: the body of its `text/event-stream` response. Frames (UTF-8 bytes, a change's
// shared by every stream that sends it) wait in a queue of our own until the connection takes them (the stream is pulled, so a reader that stops reading stops
// the pulling), which is what lets a slow reader be told and let go: once more than
// `maxBacklogBytes` waits, the queue is dropped for one final `event: error` and the stream ends.
// A heartbeat comment keeps proxies and load balancers from closing a quiet stream; an idle and a
// total lifetime end streams that would otherwise hold a connection for ever (the client resumes).

import type { ApiError, Clock, EnumEncoding, ErrorFormat } from "@jobrun/core";
import type { ChannelEvent, ChannelSubscriber } from "./channel.js";
import { sseComment, sseEvent } from "./sse.js";

export interface StreamLimits {
  /** Frames waiting for a slow reader, in bytes, before it is let go. */
  readonly maxBacklogBytes: number;
  /** A heartbeat comment this often. */
  readonly heartbeatMs: number;
  /** A stream with no event for this long ends (the client reconnects and resumes). */
  readonly idleTimeoutMs: number;
  /** A stream ends after this long whatever happens (the client reconnects and resumes). */
  readonly maxLifetimeMs: number;
}

export interface StreamSetup {
  readonly encoding: EnumEncoding;
  readonly errorFormat: ErrorFormat;
  readonly limits: StreamLimits;
  readonly clock: Clock;
  /** Whether a run may go to this caller (its scopes; defence in depth behind the parent's check). */
  readonly admits: (name: string) => boolean;
  /** The error a reader that fell behind is sent last. */
  readonly tooSlow: () => ApiError;
  /** Runs once when the stream ends, however it ends: the channel and the caller's count let go. */
  readonly onClose: () => void;
}

const utf8 = new TextEncoder();

export class WatchStream implements ChannelSubscriber {
  readonly body: ReadableStream<Uint8Array>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Wakes a pull that waits for frames. */
  private wake: (() => void) | undefined;
  /** No more frames are taken: what is pending is the last. */
  private finishing = false;
  private released = false;
  private readonly timers: unknown[] = [];
  private idleTimer: unknown;

  constructor(private readonly setup: StreamSetup) {
    this.body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.pull(controller),
        cancel: () => {
          // The caller went away.
          this.finishing = true;
          this.pending = [];
          this.release();
        },
      },
      { highWaterMark: 0 },
    );
    const { limits, clock } = setup;
    const heartbeat = () => {
      this.write(sseComment("heartbeat"));
      if (!this.finishing) this.timers[0] = clock.setTimeout(heartbeat, limits.heartbeatMs);
    };
    this.timers.push(clock.setTimeout(heartbeat, limits.heartbeatMs));
    this.timers.push(
      clock.setTimeout(
        () => this.finish(sseComment("the stream's lifetime is over: reconnect with Last-Event-ID")),
        limits.maxLifetimeMs,
      ),
    );
    this.resetIdle();
  }

  /** Queues frames to send first (the initial state or the changes missed). */
  start(frames: readonly Uint8Array[]): void {
    for (const frame of frames) this.write(frame);
  }

  deliver(event: ChannelEvent): void {
    const run = event.response.jobRun;
    if (run !== undefined && !this.setup.admits(run.name)) return;
    this.write(event.frame(this.setup.encoding));
    this.resetIdle();
  }

  /** The channel ended: an error event when it failed (the caller reconnects), else a comment. */
  end(error: unknown): void {
    if (error === undefined) this.finish(sseComment("the watch ended: reconnect with Last-Event-ID"));
    else this.finish(this.errorEvent(error as ApiError));
  }

  /** Ends the stream after `frame` (and what is pending). */
  finish(frame: string | Uint8Array): void {
    if (this.finishing) return;
    this.write(frame);
    this.finishing = true;
    this.release();
    this.wake?.();
  }

  /** The `event: error` whose data is a google.rpc.Status, as every other answer of the proxy. */
  errorEvent(error: ApiError): string {
    return sseEvent(JSON.stringify(error.toWireJson(this.setup.errorFormat)), undefined, "error");
  }

  private write(frame: string | Uint8Array): void {
    if (this.finishing) return;
    const bytes = typeof frame === "string" ? utf8.encode(frame) : frame;
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    if (this.pendingBytes > this.setup.limits.maxBacklogBytes) {
      // Dropped, not sent late: the reader is told it fell behind and resumes from what it has.
      this.pending = [];
      this.pendingBytes = 0;
      this.finish(this.errorEvent(this.setup.tooSlow()));
      return;
    }
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

  private resetIdle(): void {
    if (this.finishing) return;
    const { clock, limits } = this.setup;
    if (this.idleTimer !== undefined) clock.clearTimeout(this.idleTimer);
    this.idleTimer = clock.setTimeout(
      () => this.finish(sseComment("no change for a while: reconnect with Last-Event-ID")),
      limits.idleTimeoutMs,
    );
  }

  /** Lets go of everything the stream holds; once. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    const { clock } = this.setup;
    for (const timer of this.timers) clock.clearTimeout(timer);
    if (this.idleTimer !== undefined) clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.setup.onClose();
  }
}
