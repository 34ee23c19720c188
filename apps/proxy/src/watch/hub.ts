// Every watch of one proxy: the channels by (parent, filter), the streams each caller holds, and the
// limits. A channel lives while someone watches it, and for `lingerMs` after, so that a stream that
// reconnects (an EventSource does after a few seconds) resumes where it was instead of starting over.

import { type ApiError, type Clock, type EnumEncoding, type ErrorFormat, systemClock } from "@jobrun/core";
import { proxyError } from "../errors.js";
import { alreadySent, type NodeResponseLike } from "../node-server-adapter.js";
import { WatchChannel } from "./channel.js";
import { NodeWatchStream } from "./node-stream.js";
import type { ResumeToken } from "./resume-token.js";
import type { WatchSource } from "./source.js";
import { EVENT_STREAM_TYPE, sseRetry } from "./sse.js";
import type { StreamLimits, StreamSetup, WatchStream } from "./stream.js";
import { StreamSweep } from "./sweep.js";
import { WebWatchStream } from "./web-stream.js";

export interface WatchHubOptions extends Partial<StreamLimits> {
  /** Where the events come from: the backend's own watch, or the google backend's poller. */
  readonly source: WatchSource;
  /** Streams one caller may hold at once; 0 for no limit. Default 10. */
  readonly maxPerCaller?: number;
  /** Changes each channel keeps for streams that reconnect. Default 1,000. */
  readonly replayEvents?: number;
  /** How long a channel outlives its last stream, for reconnects. Default 30 s; 0 to close at once. */
  readonly lingerMs?: number;
  /** The `retry:` an EventSource waits before it reconnects. Default 2 s. */
  readonly retryMs?: number;
  /** Timers of the heartbeat, lifetimes and lingering. Default the system clock. */
  readonly clock?: Clock;
}

export const DEFAULT_WATCH_LIMITS = {
  maxPerCaller: 10,
  maxBacklogBytes: 1024 * 1024,
  heartbeatMs: 15_000,
  idleTimeoutMs: 10 * 60_000,
  maxLifetimeMs: 60 * 60_000,
  replayEvents: 1_000,
  lingerMs: 30_000,
  retryMs: 2_000,
} as const;

const utf8 = new TextEncoder();

/**
 * The refusal of a caller at its limit of watch streams (429, with when to retry): one shape for the
 * hub's own count and for the Workers' caller ledger (caller-ledger.ts).
 */
export function tooManyWatches(held: number, limit: number, retryMs: number): ApiError {
  return proxyError(
    "RESOURCE_EXHAUSTED",
    "TOO_MANY_WATCHES",
    `this caller already holds ${held} watch streams, the most one caller may hold; close one first`,
    { retryDelayMs: retryMs, metadata: { limit: String(limit) } },
  );
}

/** What one stream is opened with, once its request is authorized. */
export interface OpenStream {
  readonly callerId: string;
  readonly parent: string;
  readonly filter: string;
  readonly resume: ResumeToken | undefined;
  readonly encoding: EnumEncoding;
  readonly errorFormat: ErrorFormat;
  readonly admits: (name: string) => boolean;
  /** Headers every answer of this request carries (request id, CORS). */
  readonly headers: Record<string, string>;
  /**
   * The Node response to write the stream to (on @hono/node-server); without one the stream is the
   * body of the Response returned.
   */
  readonly nodeResponse?: NodeResponseLike | undefined;
  /**
   * Runs once when the stream ends, however it ends (the caller went, a lifetime, a slow reader, the
   * channel's end), after the hub let go of it; not when the open is refused (open throws then).
   */
  readonly onClose?: (() => void) | undefined;
}

/** The watches of one proxy. `close()` ends them all (on shutdown). */
export class WatchHub {
  private readonly channels = new Map<string, WatchChannel>();
  /** How many streams (or opens in progress) use each channel. */
  private readonly users = new Map<WatchChannel, number>();
  /** The linger timers of channels nobody uses. */
  private readonly lingering = new Map<WatchChannel, unknown>();
  private readonly perCaller = new Map<string, number>();
  private readonly limits: StreamLimits;
  private readonly clock: Clock;
  private readonly maxPerCaller: number;
  private readonly replayEvents: number;
  private readonly lingerMs: number;
  private readonly retryMs: number;
  /** The `retry:` every stream starts with. */
  private readonly retryFrame: Uint8Array;
  private streams = 0;
  /** The heartbeat, idle and lifetime timer of every stream. */
  private readonly sweep: StreamSweep;

  constructor(private readonly options: WatchHubOptions) {
    const d = DEFAULT_WATCH_LIMITS;
    this.limits = {
      maxBacklogBytes: options.maxBacklogBytes ?? d.maxBacklogBytes,
      heartbeatMs: options.heartbeatMs ?? d.heartbeatMs,
      idleTimeoutMs: options.idleTimeoutMs ?? d.idleTimeoutMs,
      maxLifetimeMs: options.maxLifetimeMs ?? d.maxLifetimeMs,
    };
    this.clock = options.clock ?? systemClock;
    this.maxPerCaller = options.maxPerCaller ?? d.maxPerCaller;
    this.replayEvents = options.replayEvents ?? d.replayEvents;
    this.lingerMs = options.lingerMs ?? d.lingerMs;
    this.retryMs = options.retryMs ?? d.retryMs;
    this.retryFrame = utf8.encode(sseRetry(this.retryMs));
    this.sweep = new StreamSweep(this.limits, this.clock);
  }

  /** Open streams, and channels (watched, or lingering for a reconnect). */
  get stats(): { readonly streams: number; readonly channels: number } {
    return { streams: this.streams, channels: this.channels.size };
  }

  /**
   * Opens a stream: refuses a caller at its limit (429), waits for the channel's initial state (its
   * source's refusal of the parent or filter becomes the answer, as an error), then answers 200 with
   * the event stream.
   */
  async open(request: OpenStream): Promise<Response> {
    const held = this.perCaller.get(request.callerId) ?? 0;
    if (this.maxPerCaller > 0 && held >= this.maxPerCaller) {
      throw tooManyWatches(held, this.maxPerCaller, this.retryMs);
    }
    // Counted from now, so concurrent opens cannot pass the limit together while one waits.
    this.perCaller.set(request.callerId, held + 1);
    let counted = true;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      const left = (this.perCaller.get(request.callerId) ?? 1) - 1;
      if (left > 0) this.perCaller.set(request.callerId, left);
      else this.perCaller.delete(request.callerId);
    };
    const channel = this.channelOf(request.parent, request.filter);
    this.keep(channel);
    try {
      await channel.ready;
    } catch (error) {
      uncount();
      this.release(channel);
      throw error;
    }
    this.streams += 1;
    const setup: StreamSetup = {
      encoding: request.encoding,
      errorFormat: request.errorFormat,
      maxBacklogBytes: this.limits.maxBacklogBytes,
      openedAt: this.clock.now(),
      admits: request.admits,
      tooSlow: () =>
        proxyError(
          "RESOURCE_EXHAUSTED",
          "WATCH_READER_TOO_SLOW",
          `the watch stream was closed: more than ${this.limits.maxBacklogBytes} bytes of events waited for this reader; reconnect with Last-Event-ID`,
          { retryDelayMs: this.retryMs },
        ),
      onClose: () => {
        this.streams -= 1;
        uncount();
        channel.unsubscribe(stream);
        this.sweep.delete(stream);
        this.release(channel);
        request.onClose?.();
      },
    };
    const headers = {
      ...request.headers,
      "content-type": EVENT_STREAM_TYPE,
      "cache-control": "no-store",
      // Tells nginx-style proxies not to buffer the stream.
      "x-accel-buffering": "no",
    };
    // On Node the stream writes the response itself; elsewhere it is the body of the Response.
    let stream: WatchStream;
    let body: ReadableStream<Uint8Array> | undefined;
    if (request.nodeResponse === undefined) {
      const web = new WebWatchStream(setup);
      body = web.body;
      stream = web;
    } else {
      stream = new NodeWatchStream(setup, request.nodeResponse, headers);
    }
    this.sweep.add(stream);
    const start = channel.subscribe(stream, request.resume);
    stream.start([
      this.retryFrame,
      ...(start.kind === "initial"
        ? start.frames(request.encoding)
        : start.events.map((event) => event.frame(request.encoding))),
    ]);
    return body === undefined ? alreadySent() : new Response(body, { status: 200, headers });
  }

  /** Ends every stream and channel (the proxy is shutting down). */
  close(): void {
    for (const timer of this.lingering.values()) this.clock.clearTimeout(timer);
    this.lingering.clear();
    for (const channel of [...this.channels.values()]) channel.close();
    this.channels.clear();
  }

  private channelOf(parent: string, filter: string): WatchChannel {
    const key = `${parent}\n${filter}`;
    let channel = this.channels.get(key);
    if (channel === undefined) {
      const created = new WatchChannel(this.options.source, parent, filter, {
        replayEvents: this.replayEvents,
      });
      created.onEnd = () => {
        if (this.channels.get(key) === created) this.channels.delete(key);
        const timer = this.lingering.get(created);
        if (timer !== undefined) this.clock.clearTimeout(timer);
        this.lingering.delete(created);
      };
      this.channels.set(key, created);
      channel = created;
    }
    return channel;
  }

  /** A stream is about to use the channel: it stays. */
  private keep(channel: WatchChannel): void {
    const timer = this.lingering.get(channel);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.lingering.delete(channel);
    this.users.set(channel, (this.users.get(channel) ?? 0) + 1);
  }

  /** A stream (or an open that failed) let go of the channel: close it when nobody uses it, after lingering. */
  private release(channel: WatchChannel): void {
    const left = (this.users.get(channel) ?? 1) - 1;
    if (left > 0) {
      this.users.set(channel, left);
      return;
    }
    this.users.delete(channel);
    if (channel.ended) return;
    if (this.lingerMs <= 0) {
      channel.close();
      return;
    }
    this.lingering.set(
      channel,
      this.clock.setTimeout(() => {
        this.lingering.delete(channel);
        if (!this.users.has(channel)) channel.close();
      }, this.lingerMs),
    );
  }
}
