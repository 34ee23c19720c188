// One watched (parent, filter): a single source watch shared by every stream that watches it. The
// channel keeps the runs as they are now (to give a new stream its initial state), numbers each
// change (the `id:` of its event, with the channel's epoch) and keeps the latest ones in a ring, so a
// stream that reconnects with Last-Event-ID gets what it missed instead of everything again. Each
// event is encoded once per enum encoding, however many streams send it.

import { create } from "@bufbuild/protobuf";
import {
  type EnumEncoding,
  encodeJson,
  type JobRun,
  JobRunSchema,
  type WatchJobRunsResponse,
  WatchJobRunsResponse_Type,
  WatchJobRunsResponseSchema,
} from "@jobrun/core";
import { rawRunJson } from "./raw-runs.js";
import { formatResumeToken, newEpoch, type ResumeToken } from "./resume-token.js";
import type { WatchSource } from "./source.js";
import { sseEvent } from "./sse.js";

const { EXISTING, SYNCED, ADDED, CHANGED, REMOVED } = WatchJobRunsResponse_Type;

/** A stream fed by a channel. */
export interface ChannelSubscriber {
  /** A change, already framed as an SSE event in the subscriber's enum encoding. */
  deliver(event: ChannelEvent): void;
  /** The channel ended (its source failed or ended): the stream should end too, saying why. */
  end(error: unknown): void;
}

const utf8 = new TextEncoder();

/**
 * A numbered change, framed and encoded to bytes lazily, once per enum encoding: every stream of the
 * channel sends the same bytes.
 */
export class ChannelEvent {
  #frames: Partial<Record<EnumEncoding, Uint8Array>> = {};

  constructor(
    readonly seq: number,
    readonly id: string,
    readonly response: WatchJobRunsResponse,
  ) {}

  /** The SSE event of this change, as UTF-8. */
  frame(encoding: EnumEncoding): Uint8Array {
    let frame = this.#frames[encoding];
    if (frame === undefined) {
      frame = utf8.encode(
        sseEvent(responseJson(this.response.type, this.response.jobRun, encoding), this.id),
      );
      this.#frames[encoding] = frame;
    }
    return frame;
  }
}

/** What a stream joining a channel is sent first: the initial state, or the changes it missed. */
export type JoinStart =
  | { readonly kind: "initial"; readonly frames: (encoding: EnumEncoding) => Uint8Array[] }
  | { readonly kind: "resume"; readonly events: readonly ChannelEvent[] };

export interface ChannelOptions {
  /** How many of the latest changes are kept for streams that reconnect. */
  readonly replayEvents: number;
}

export class WatchChannel {
  readonly epoch = newEpoch();
  /** The sequence number of the latest change. */
  private seq = 0;
  private readonly runs = new Map<string, JobRun>();
  /** The encoded initial state as of change `seq`. */
  private initialCache: { seq: number; bytes: Partial<Record<EnumEncoding, Uint8Array>> } | undefined;
  /** The latest changes, oldest first; at most `replayEvents`. */
  private readonly ring: ChannelEvent[] = [];
  private readonly subscribers = new Set<ChannelSubscriber>();
  private readonly abort = new AbortController();
  /** Settles when the source has sent its initial state (SYNCED), or failed before it. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (error: unknown) => void;
  private synced = false;
  private isEnded = false;
  /** Called once when the channel ends (its source failed or ended, or it was closed). */
  onEnd: (() => void) | undefined;

  constructor(
    source: WatchSource,
    readonly parent: string,
    readonly filter: string,
    private readonly options: ChannelOptions,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Nobody may be waiting on `ready` when the source fails: that is not an unhandled rejection.
    this.ready.catch(() => {});
    void this.pump(source);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the channel has ended (closed, or its source ended or failed). */
  get ended(): boolean {
    return this.isEnded;
  }

  /**
   * Adds a subscriber once the channel is ready, and says what it is sent first: the changes after
   * `resume` when this channel numbered it and still holds them all, else the initial state (each
   * run as EXISTING, then SYNCED with the latest change's id). Synchronous from there on, so nothing
   * falls between what it is sent first and what it is delivered after.
   */
  subscribe(subscriber: ChannelSubscriber, resume: ResumeToken | undefined): JoinStart {
    this.subscribers.add(subscriber);
    const oldest = this.ring[0]?.seq ?? this.seq + 1;
    if (
      resume !== undefined &&
      resume.epoch === this.epoch &&
      resume.seq <= this.seq &&
      resume.seq >= oldest - 1
    ) {
      return { kind: "resume", events: this.ring.filter((event) => event.seq > resume.seq) };
    }
    return { kind: "initial", frames: (encoding) => [this.initialState(encoding)] };
  }

  /**
   * The initial state as one chunk (one write, however many runs), encoded once per change and
   * encoding: streams that join between two changes (a thousand at once, after a restart) share it.
   */
  private initialState(encoding: EnumEncoding): Uint8Array {
    if (this.initialCache?.seq !== this.seq) this.initialCache = { seq: this.seq, bytes: {} };
    let bytes = this.initialCache.bytes[encoding];
    if (bytes === undefined) {
      const frames = [...this.runs.values()].map((run) => sseEvent(responseJson(EXISTING, run, encoding)));
      frames.push(
        sseEvent(responseJson(SYNCED, undefined, encoding), formatResumeToken(this.epoch, this.seq)),
      );
      bytes = utf8.encode(frames.join(""));
      this.initialCache.bytes[encoding] = bytes;
    }
    return bytes;
  }

  unsubscribe(subscriber: ChannelSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** Stops the source and ends every subscriber with `error` (or quietly, without one). */
  close(error?: unknown): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.abort.abort();
    if (!this.synced) this.failReady(error ?? new Error("the watch channel closed before it was ready"));
    for (const subscriber of [...this.subscribers]) subscriber.end(error);
    this.subscribers.clear();
    this.onEnd?.();
  }

  private async pump(source: WatchSource): Promise<void> {
    try {
      for await (const response of source.watch(this.parent, this.filter, this.abort.signal)) {
        if (this.isEnded) return;
        this.apply(response);
      }
      this.close(undefined);
    } catch (error) {
      this.close(error);
    }
  }

  private apply(response: WatchJobRunsResponse): void {
    const run = response.jobRun;
    switch (response.type) {
      case EXISTING:
        if (run === undefined) return;
        if (!this.synced) {
          this.runs.set(run.name, run);
          return;
        }
        // A source that sends its state again (after it lost its own): a change like any other.
        this.publish(this.runs.has(run.name) ? CHANGED : ADDED, run);
        return;
      case SYNCED:
        if (!this.synced) {
          this.synced = true;
          this.markReady();
        }
        return;
      case ADDED:
      case CHANGED:
        if (run === undefined) return;
        this.publish(this.runs.has(run.name) ? CHANGED : ADDED, run);
        return;
      case REMOVED:
        if (run === undefined || !this.runs.has(run.name)) return;
        this.publish(REMOVED, run);
        return;
      default:
        return;
    }
  }

  private publish(type: WatchJobRunsResponse_Type, run: JobRun): void {
    if (type === REMOVED) this.runs.delete(run.name);
    else this.runs.set(run.name, run);
    if (!this.synced) return;
    this.seq += 1;
    const event = new ChannelEvent(
      this.seq,
      formatResumeToken(this.epoch, this.seq),
      create(WatchJobRunsResponseSchema, { type, jobRun: run }),
    );
    this.ring.push(event);
    if (this.ring.length > this.options.replayEvents) this.ring.shift();
    for (const subscriber of this.subscribers) subscriber.deliver(event);
  }
}

// A run's JSON is the bulk of every event: encoded once per run version and encoding, shared by the
// initial states of every stream that joins while it is current.
const runJsonCache: Record<EnumEncoding, WeakMap<JobRun, string>> = {
  name: new WeakMap(),
  int: new WeakMap(),
};

/** The response as proto3 JSON text, compact (an SSE data line), type first. */
function responseJson(
  type: WatchJobRunsResponse_Type,
  run: JobRun | undefined,
  encoding: EnumEncoding,
): string {
  const typeJson = encoding === "int" ? String(type) : `"${WatchJobRunsResponse_Type[type]}"`;
  if (run === undefined) return `{"type":${typeJson}}`;
  const cache = runJsonCache[encoding];
  let runJson = cache.get(run);
  if (runJson === undefined) {
    // Google's own JSON of the run where the source kept it (google mode: newer fields kept).
    runJson =
      rawRunJson(run, encoding) ?? JSON.stringify(encodeJson(JobRunSchema, run, { enumEncoding: encoding }));
    cache.set(run, runJson);
  }
  return `{"type":${typeJson},"jobRun":${runJson}}`;
}
