// The google-mode watch on Cloudflare Workers. Every isolate of a Worker has its own memory, so a
// poller per isolate would multiply the upstream listings by the isolates serving watchers. Instead
// the Worker authorizes a watch request as usual and forwards it to one Durable Object per
// (parent, filter): the object holds the streams of every watcher of it (a WatchHub) and the one
// poller, timed by the object's alarm. One more object, the directory, knows which (parent, filter)s
// are watched, so a Pub/Sub push (answered by any isolate) can prompt the ones it concerns.
//
// workerd tells the object that a watcher left only when a write to its stream fails: the second
// write after the caller went (measured in miniflare; neither the Worker's request signal nor a
// cancel of the object's response body reaches the object sooner). With the 15 s heartbeat an object
// polled Google for ~30 s for nobody, so here the heartbeat doubles as the probe: it is as frequent
// as the polls (at least 1 s apart, at most 15 s), and an object stops polling within about two polls
// of its last watcher leaving.
//
// A caller may hold a limited number of streams across the whole Worker (WATCH_MAX_PER_CALLER), but
// no channel object sees all of them: the Worker takes a lease from the caller's ledger, one more
// object (caller-ledger.ts), before it forwards a stream; the channel object renews the lease on its
// probe and releases it when the stream ends (caller-leases.ts).

import { serviceAccountKey } from "@jobrun/client";
import { ApiError, type EnumEncoding, type ErrorFormat, systemClock, WILDCARD } from "@jobrun/core";
import { createGoogleBackend, parseUpstream } from "../backends/google.js";
import { errorResponse, toApiError } from "../errors.js";
import { acquireLease, giveBackLease, LeaseRenewer } from "./caller-leases.js";
import { CallerLedger, ledgerFetch } from "./caller-ledger.js";
import { AlarmClock } from "./durable-object-clock.js";
import {
  type DurableObjectNamespaceLike,
  type DurableObjectStateLike,
  type DurableObjectStubLike,
  postToObject,
} from "./durable-object-types.js";
import { GooglePoller } from "./google-poller.js";
import { type OpenStream, WatchHub } from "./hub.js";
import { type ChangedRunPlace, mayBeUnder } from "./pubsub-message.js";
import type { PushPrompted } from "./pubsub-push.js";
import { formatResumeToken, parseResumeToken } from "./resume-token.js";
import type { WatchSource } from "./source.js";
import {
  type WorkerWatchSettings,
  type WorkerWatchVars,
  workerWatchSettings,
} from "./worker-watch-settings.js";

export type { DurableObjectNamespaceLike, DurableObjectStateLike, DurableObjectStubLike };

/** The bindings a watch channel object reads (a subset of the Worker's). */
export interface WatchChannelEnv extends WorkerWatchVars {
  readonly GOOGLE_SERVICE_ACCOUNT_KEY?: string;
  readonly UPSTREAM?: string;
  /** Set when Pub/Sub pushes are served: the channels then tell the directory they are watched. */
  readonly PUBSUB_AUDIENCE?: string;
  readonly WATCH_CHANNELS?: DurableObjectNamespaceLike;
}

/** The directory's name: no (parent, filter) key looks like it (they begin with `projects/`). */
const DIRECTORY = "directory";

/** What the Worker sends a channel object to open a stream (an authorized OpenStream, as JSON). */
interface ForwardedOpen {
  readonly callerId: string;
  readonly parent: string;
  readonly filter: string;
  readonly lastEventId: string;
  readonly encoding: EnumEncoding;
  readonly errorFormat: ErrorFormat;
  readonly headers: Record<string, string>;
  /** The caller's lease on this stream, which the object renews and releases; none without a limit. */
  readonly lease?: string;
}

/**
 * The Worker's side: takes a lease on the stream from the caller's ledger (with a limit), then opens
 * the stream in the Durable Object of its (parent, filter).
 */
export function durableObjectWatch(
  namespace: DurableObjectNamespaceLike,
  settings: Pick<WorkerWatchSettings, "maxPerCaller" | "leaseTtlMs">,
): Pick<WatchHub, "open"> {
  const { maxPerCaller: limit, leaseTtlMs: ttlMs } = settings;
  return {
    async open(request: OpenStream): Promise<Response> {
      // At the limit this throws the 429 the caller gets.
      const lease = limit > 0 ? await acquireLease(namespace, request.callerId, { limit, ttlMs }) : undefined;
      const forwarded: ForwardedOpen = {
        callerId: request.callerId,
        parent: request.parent,
        filter: request.filter,
        lastEventId:
          request.resume === undefined ? "" : formatResumeToken(request.resume.epoch, request.resume.seq),
        encoding: request.encoding,
        errorFormat: request.errorFormat,
        headers: request.headers,
        ...(lease === undefined ? {} : { lease }),
      };
      try {
        const response = await postToObject(
          namespace,
          channelKey(request.parent, request.filter),
          "/open",
          JSON.stringify(forwarded),
        );
        // A refusal (Google's error) is the caller's answer, in the caller's shape.
        if (response.status !== 200) throw ApiError.fromResponseText(await response.text(), response.status);
        return response;
      } catch (error) {
        // No stream, so no object holds the lease: it goes back now rather than expire.
        if (lease !== undefined) await giveBackLease(namespace, request.callerId, lease, ttlMs);
        throw error;
      }
    },
  };
}

/** The Worker's side of a Pub/Sub push: the directory prompts the channels it concerns. */
export function durableObjectPrompts(namespace: DurableObjectNamespaceLike): PushPrompted {
  return {
    async prompt(place: ChangedRunPlace): Promise<number> {
      const response = await postToObject(namespace, DIRECTORY, "/directory/prompt", JSON.stringify(place));
      const { prompted } = (await response.json()) as { prompted: number };
      return prompted;
    },
  };
}

/**
 * The Durable Object class (binding WATCH_CHANNELS). As a channel: `/open` streams, `/prompt` polls
 * now; its alarm times the polls. As the directory: `/directory/add`, `/directory/remove`,
 * `/directory/prompt`. As a caller's ledger: `/ledger/acquire`, `/ledger/renew`, `/ledger/release`.
 */
export class WatchChannelObject {
  private readonly clock: AlarmClock;
  private hub: WatchHub | undefined;
  private poller: GooglePoller | undefined;
  private renewer: LeaseRenewer | undefined;
  private ledger: CallerLedger | undefined;

  constructor(
    private readonly state: DurableObjectStateLike,
    private readonly env: WatchChannelEnv,
  ) {
    this.clock = new AlarmClock(state.storage);
  }

  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    try {
      if (path.startsWith("/ledger/")) {
        this.ledger ??= new CallerLedger();
        return (await ledgerFetch(this.ledger, path, request)) ?? new Response(null, { status: 404 });
      }
      switch (path) {
        case "/open":
          return await this.open((await request.json()) as ForwardedOpen);
        case "/prompt":
          return Response.json({ prompted: this.poller?.prompt(() => true) ?? 0 });
        case "/directory/add":
          await this.state.storage.put(`watched:${await request.text()}`, true);
          return new Response(null, { status: 204 });
        case "/directory/remove":
          await this.state.storage.delete(`watched:${await request.text()}`);
          return new Response(null, { status: 204 });
        case "/directory/prompt":
          return Response.json({
            prompted: await this.promptWatched((await request.json()) as ChangedRunPlace),
          });
        default:
          return new Response(null, { status: 404 });
      }
    } catch (error) {
      return errorResponse(toApiError(error), {}, { prettyPrint: false, errorFormat: "2" });
    }
  }

  /** The alarm: the poller's timer. */
  alarm(): void {
    this.clock.ring();
  }

  private async open(forwarded: ForwardedOpen): Promise<Response> {
    const { parent, callerId, lease } = forwarded;
    try {
      const hub = this.hubOf();
      // Renewed from now, so a slow first listing cannot outlast the lease.
      if (lease !== undefined) this.renewerOf().hold(callerId, lease);
      return await hub.open({
        callerId: forwarded.callerId,
        parent,
        filter: forwarded.filter,
        resume: parseResumeToken(forwarded.lastEventId),
        encoding: forwarded.encoding,
        errorFormat: forwarded.errorFormat,
        // The Worker checked the parent against the caller's scopes, so every run under it is in
        // them; this keeps to the parent in depth.
        admits: (name) => isUnder(name, parent),
        headers: forwarded.headers,
        ...(lease === undefined ? {} : { onClose: () => this.renewer?.release(callerId, lease) }),
      });
    } catch (error) {
      // The Worker gives the lease back when the stream does not open.
      if (lease !== undefined) this.renewer?.drop(callerId, lease);
      return errorResponse(toApiError(error), forwarded.headers, {
        prettyPrint: false,
        errorFormat: forwarded.errorFormat,
      });
    }
  }

  private hubOf(): WatchHub {
    if (this.hub !== undefined) return this.hub;
    const key = this.env.GOOGLE_SERVICE_ACCOUNT_KEY;
    if (!key) throw new Error("the watch channel needs the GOOGLE_SERVICE_ACCOUNT_KEY secret");
    const backend = createGoogleBackend({
      auth: serviceAccountKey(key),
      ...(this.env.UPSTREAM ? { upstream: parseUpstream(this.env.UPSTREAM) } : {}),
    });
    const settings = workerWatchSettings(this.env);
    const poller = new GooglePoller({ backend, intervalMs: settings.intervalMs, clock: this.clock });
    this.poller = poller;
    this.hub = new WatchHub({
      source: this.listed(poller),
      lingerMs: 0,
      heartbeatMs: settings.probeMs,
      // The caller's ledger counts its streams across all objects (an object sees only its own).
      maxPerCaller: 0,
    });
    return this.hub;
  }

  private renewerOf(): LeaseRenewer {
    if (this.renewer !== undefined) return this.renewer;
    const namespace = this.env.WATCH_CHANNELS;
    if (namespace === undefined) throw new Error("the watch channel needs the WATCH_CHANNELS binding");
    const settings = workerWatchSettings(this.env);
    this.renewer = new LeaseRenewer({
      namespace,
      everyMs: settings.probeMs,
      ttlMs: settings.leaseTtlMs,
      clock: systemClock,
    });
    return this.renewer;
  }

  /** The poller, telling the directory while it polls (when pushes are served). */
  private listed(poller: GooglePoller): WatchSource {
    const namespace = this.env.WATCH_CHANNELS;
    if (namespace === undefined || !this.env.PUBSUB_AUDIENCE) return poller;
    const tell = (what: "add" | "remove", key: string) => {
      postToObject(namespace, DIRECTORY, `/directory/${what}`, key)
        .then((response) => response.body?.cancel())
        .catch((error: unknown) => {
          console.error(JSON.stringify({ level: "error", msg: "watch directory", reason: String(error) }));
        });
    };
    return {
      watch: (parent, filter, signal) => {
        const key = channelKey(parent, filter);
        tell("add", key);
        signal.addEventListener("abort", () => tell("remove", key), { once: true });
        return poller.watch(parent, filter, signal);
      },
    };
  }

  /** The directory: prompts every watched channel a run at `place` could be under. */
  private async promptWatched(place: ChangedRunPlace): Promise<number> {
    const namespace = this.env.WATCH_CHANNELS;
    if (namespace === undefined) return 0;
    const watched = await this.state.storage.list({ prefix: "watched:" });
    const prompts = [...watched.keys()]
      .map((entry) => entry.slice("watched:".length))
      .filter((key) => mayBeUnder(place, key.slice(0, key.indexOf("\n"))))
      .map(async (key) => {
        const response = await postToObject(namespace, key, "/prompt");
        const { prompted } = (await response.json()) as { prompted: number };
        // A channel that no longer polls (it ended without telling) leaves the directory.
        if (prompted === 0) await this.state.storage.delete(`watched:${key}`);
        return prompted;
      });
    return (await Promise.all(prompts)).reduce((sum, n) => sum + n, 0);
  }
}

function channelKey(parent: string, filter: string): string {
  return `${parent}\n${filter}`;
}

/** Whether a run's name lies under a List parent (its `-` wildcards matching any id). */
function isUnder(name: string, parent: string): boolean {
  const names = name.split("/");
  const parents = parent.split("/");
  if (names.length !== parents.length + 2) return false;
  return parents.every((segment, i) => segment === names[i] || (i % 2 === 1 && segment === WILDCARD));
}
