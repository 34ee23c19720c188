// When the demo ticks. Ticks lie on a grid: `start()` at S puts them at S + k·tickMs, as a repeating
// timer would. Only ticks that can change something are put on the timeline:
//   - the first grid tick at or after the earliest running job's end (the demo's own deadline);
//   - the first grid tick after a change from outside (a terminate or import), which the demo notices
//     on its next tick by retiring the rollout.
// Every other tick would change nothing and draw no random number, so skipping it leaves the world
// exactly as ticking every tickMs would, while an hour of catch-up costs a few hundred ticks, not 3600.
//
// Bound: a catch-up replays at most `maxCatchUpTicks` grid ticks. If the demo was not looked at for
// longer (no call and no timer: a Worker isolate idle overnight, a laptop asleep), the older part of
// the gap is skipped: the world dozed through it, and running jobs end at the first replayed tick.
// This keeps every call fast and is still deterministic: the same seed and the same sequence of clock
// readings at calls (and timer firings) give the same world. Only within the bound do timers and
// catch-up agree tick for tick, as catching up an arbitrarily long gap exactly would be unbounded work.

import type { TimelineEvent } from "../time/timeline.js";
import type { Demo } from "./demo.js";

/** What the ticker needs from the emulator's time driver. */
export interface TickScheduler {
  schedule(dueMs: number, action: (atMs: number, nowMs: number) => void): TimelineEvent;
  cancel(event: TimelineEvent): void;
}

export class DemoTicker {
  private anchorMs = 0;
  private running = false;
  private wake: TimelineEvent | undefined;

  constructor(
    private readonly demo: Demo,
    private readonly scheduler: TickScheduler,
  ) {}

  /** Starts ticking at `nowMs` (first tick one tickMs later); no-op when running. */
  start(nowMs: number): void {
    if (this.running) return;
    this.running = true;
    this.anchorMs = nowMs;
    this.wakeAt(nowMs + this.demo.tickMs);
  }

  stop(): void {
    this.running = false;
    this.cancelWake();
  }

  /** Something outside the demo changed a run at `atMs`: the next grid tick after it must run. */
  noteExternalChange(atMs: number): void {
    if (!this.running) return;
    const { tickMs } = this.demo;
    const next = this.anchorMs + (Math.floor((atMs - this.anchorMs) / tickMs) + 1) * tickMs;
    if (this.wake === undefined || next < this.wake.dueMs) this.wakeAt(next);
  }

  private onWake(atMs: number, nowMs: number): void {
    this.wake = undefined;
    const { tickMs, maxCatchUpTicks } = this.demo;
    const oldestReplayed = nowMs - maxCatchUpTicks * tickMs;
    if (atMs < oldestReplayed) {
      // Too far behind: doze through the older part of the gap (see the top of this file).
      this.wakeAt(this.gridAtOrAfter(oldestReplayed));
      return;
    }
    this.demo.tick(atMs);
    const deadline = this.demo.nextDeadlineMs();
    if (deadline !== undefined) this.wakeAt(Math.max(atMs + tickMs, this.gridAtOrAfter(deadline)));
  }

  private gridAtOrAfter(ms: number): number {
    const { tickMs } = this.demo;
    return this.anchorMs + Math.ceil((ms - this.anchorMs) / tickMs) * tickMs;
  }

  private wakeAt(dueMs: number): void {
    this.cancelWake();
    this.wake = this.scheduler.schedule(dueMs, (atMs, nowMs) => this.onWake(atMs, nowMs));
  }

  private cancelWake(): void {
    if (this.wake !== undefined) this.scheduler.cancel(this.wake);
    this.wake = undefined;
  }
}
