// The timers of every open watch stream of a hub, as one. A timer per stream for its heartbeat, its
// idle timeout and its lifetime made 3,000 timers for 1,000 watchers, re-armed on every change;
// instead one sweep runs while any stream is open: every `heartbeatMs` it writes the same heartbeat
// buffer to every stream, and on each tick it ends the streams past their idle timeout or lifetime.
// Those two are checked at the sweep's granularity (an eighth of the shortest limit, at most the
// heartbeat's period): with the defaults a stream ends at most 15 s after its 10 min or 1 h, which a
// client that resumes cannot tell.

import type { Clock } from "@jobrun/core";
import { sseComment } from "./sse.js";
import type { StreamLimits, WatchStream } from "./stream.js";

const HEARTBEAT = new TextEncoder().encode(sseComment("heartbeat"));
/** The shortest tick, whatever the limits (tests set them to tens of milliseconds). */
const MIN_TICK_MS = 10;

export class StreamSweep {
  private readonly streams = new Set<WatchStream>();
  private readonly tickMs: number;
  private timer: unknown;
  private lastHeartbeatAt = 0;

  constructor(
    private readonly limits: StreamLimits,
    private readonly clock: Clock,
  ) {
    this.tickMs = Math.max(
      MIN_TICK_MS,
      Math.min(limits.heartbeatMs, limits.idleTimeoutMs / 8, limits.maxLifetimeMs / 8),
    );
  }

  add(stream: WatchStream): void {
    this.streams.add(stream);
    if (this.timer !== undefined) return;
    this.lastHeartbeatAt = this.clock.now();
    this.schedule();
  }

  delete(stream: WatchStream): void {
    this.streams.delete(stream);
    if (this.streams.size > 0 || this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.tickMs);
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.clock.now();
    // Half a tick early counts: a timer may fire a little before its time by the clock's reading.
    const beat = now - this.lastHeartbeatAt >= this.limits.heartbeatMs - this.tickMs / 2;
    if (beat) this.lastHeartbeatAt = now;
    // A stream that ends here leaves the set as it is iterated, which a Set allows.
    for (const stream of this.streams) {
      if (beat) stream.heartbeat(HEARTBEAT);
      stream.expire(now, this.limits);
    }
    if (this.streams.size > 0) this.schedule();
  }
}
