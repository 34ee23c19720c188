// One caller's watch: what its `text/event-stream` response is sent, whatever carries it. Frames
// (UTF-8 bytes, a change's shared by every stream that sends it) go to the transport as they come;
// a transport that holds more than `maxBacklogBytes` unsent for a reader that does not keep up makes
// the stream send one final `event: error` and end, so a slow reader is told and let go.
//
// A stream has no timer of its own: the hub's sweep (sweep.ts) sends every stream the same heartbeat
// comment, which keeps proxies and load balancers from closing a quiet stream, and ends the streams
// past their idle or total lifetime (the client resumes). A thousand watchers cost one timer.
//
// Two transports: on Node the frames are written straight to the ServerResponse (node-stream.ts);
// elsewhere (Workers, `app.request()`) they are the body of a web ReadableStream (web-stream.ts).

import type { ApiError, EnumEncoding, ErrorFormat } from "@jobrun/core";
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
  readonly maxBacklogBytes: number;
  /** When the stream opened (the hub's clock): its lifetime counts from here. */
  readonly openedAt: number;
  /** Whether a run may go to this caller (its scopes; defence in depth behind the parent's check). */
  readonly admits: (name: string) => boolean;
  /** The error a reader that fell behind is sent last. */
  readonly tooSlow: () => ApiError;
  /** Runs once when the stream ends, however it ends: the channel, the sweep and the caller's count let go. */
  readonly onClose: () => void;
}

const utf8 = new TextEncoder();

const LIFETIME_OVER = utf8.encode(sseComment("the stream's lifetime is over: reconnect with Last-Event-ID"));
const IDLE = utf8.encode(sseComment("no change for a while: reconnect with Last-Event-ID"));
const CHANNEL_ENDED = utf8.encode(sseComment("the watch ended: reconnect with Last-Event-ID"));

export abstract class WatchStream implements ChannelSubscriber {
  /**
   * When the sweep last saw the stream send a change (or it opened): the idle timeout counts from
   * here. Noted by the sweep rather than per change, so a fan-out reads no clock per stream.
   */
  private lastEventAt: number;
  private sentEvent = false;
  /** No more frames are taken: what was sent is the last. */
  protected finishing = false;
  private released = false;

  constructor(protected readonly setup: StreamSetup) {
    this.lastEventAt = setup.openedAt;
  }

  /** Whether the stream has ended (or is sending its last frames). */
  get ended(): boolean {
    return this.finishing;
  }

  /** Sends frames first (the `retry:`, then the initial state or the changes missed). */
  start(frames: readonly Uint8Array[]): void {
    for (const frame of frames) if (!this.write(frame)) return;
  }

  deliver(event: ChannelEvent): void {
    const run = event.response.jobRun;
    if (run !== undefined && !this.setup.admits(run.name)) return;
    if (this.write(event.frame(this.setup.encoding))) this.sentEvent = true;
  }

  /** The heartbeat comment, one buffer shared by every stream. */
  heartbeat(frame: Uint8Array): void {
    this.write(frame);
  }

  /**
   * Ends the stream if it has lived its lifetime or had no change for its idle timeout, as of `now`
   * (the sweep's clock). The client resumes where it was.
   */
  expire(now: number, limits: Pick<StreamLimits, "idleTimeoutMs" | "maxLifetimeMs">): void {
    if (this.sentEvent) {
      this.sentEvent = false;
      this.lastEventAt = now;
    }
    if (now - this.setup.openedAt >= limits.maxLifetimeMs) this.finish(LIFETIME_OVER);
    else if (now - this.lastEventAt >= limits.idleTimeoutMs) this.finish(IDLE);
  }

  /** The channel ended: an error event when it failed (the caller reconnects), else a comment. */
  end(error: unknown): void {
    if (error === undefined) this.finish(CHANNEL_ENDED);
    else this.finish(this.errorEvent(error as ApiError));
  }

  /** Ends the stream after `frame`. */
  finish(frame: Uint8Array): void {
    if (this.finishing) return;
    this.send(frame);
    this.finishing = true;
    this.close();
    this.release();
  }

  /** The `event: error` whose data is a google.rpc.Status, as every other answer of the proxy. */
  errorEvent(error: ApiError): Uint8Array {
    return utf8.encode(
      sseEvent(JSON.stringify(error.toWireJson(this.setup.errorFormat)), undefined, "error"),
    );
  }

  /**
   * Hands a frame to the transport; false when the stream has ended, or ends now because its reader
   * fell behind (it is sent the error instead).
   */
  private write(frame: Uint8Array): boolean {
    if (this.finishing) return false;
    if (this.send(frame) <= this.setup.maxBacklogBytes) return true;
    // The reader is told it fell behind and resumes from what it has.
    this.dropBacklog();
    this.finish(this.errorEvent(this.setup.tooSlow()));
    return false;
  }

  /** The transport takes a frame; returns the bytes it holds unsent for the reader. */
  protected abstract send(frame: Uint8Array): number;
  /** Drops what the transport holds unsent, where it can (a reader that fell behind is not sent it). */
  protected abstract dropBacklog(): void;
  /** Ends the response once what was sent is out. */
  protected abstract close(): void;

  /** The caller went away: nothing more is sent. */
  protected gone(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.release();
  }

  /** Lets go of everything the stream holds; once. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.setup.onClose();
  }
}
