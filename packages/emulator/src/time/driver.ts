// Applies the timeline to the clock. Correctness comes from `catchUp()`, which the emulator calls
// before serving anything: every event due by `clock.now()` runs, in order, at its own due time. That
// works in every runtime, including Cloudflare Workers, where timers die once a response is sent.
//
// Timers are only an optimisation on top (option `timers`, default on): one timer, armed for the
// earliest pending event, runs the same `catchUp()` when it fires, so subscribers (a live view,
// persistence) hear about changes without waiting for a call. Because the timer path and the call path
// are the same code, reaching a time through timers or through a later call gives the same world.

import type { Clock } from "@jobrun/core";
import { type EventAction, Timeline, type TimelineEvent } from "./timeline.js";

export class TimeDriver {
  private readonly timeline = new Timeline();
  private catchingUp = false;
  private timer: unknown;
  private timerDueMs: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: boolean,
  ) {}

  /** Schedules `action` at `dueMs`. It runs at the first catch-up (call or timer) at or after `dueMs`. */
  schedule(dueMs: number, action: EventAction): TimelineEvent {
    const event = this.timeline.schedule(dueMs, action);
    this.arm();
    return event;
  }

  cancel(event: TimelineEvent): void {
    this.timeline.cancel(event);
    this.arm();
  }

  /**
   * Runs every event due by the clock's now, earliest first; events they schedule run too when due.
   * O(1) when nothing is due. A re-entrant call (a change listener calling the emulator mid-catch-up)
   * returns at once: the outer catch-up is already on it. Returns the clock reading caught up to.
   */
  catchUp(): number {
    const nowMs = this.clock.now();
    if (this.catchingUp) return nowMs;
    this.catchingUp = true;
    try {
      for (let event = this.timeline.takeDue(nowMs); event; event = this.timeline.takeDue(nowMs)) {
        event.action(event.dueMs, nowMs);
      }
    } finally {
      this.catchingUp = false;
      this.arm();
    }
    return nowMs;
  }

  /** Keeps exactly one timer, for the earliest pending event; none when nothing is pending. */
  private arm(): void {
    // Mid-catch-up the agenda is still moving; the catch-up arms once at its end.
    if (!this.timers || this.catchingUp) return;
    const dueMs = this.timeline.nextDueMs;
    if (dueMs === this.timerDueMs) return;
    this.clearTimer();
    if (dueMs === undefined) return;
    this.timerDueMs = dueMs;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueMs = undefined;
        this.catchUp();
      },
      Math.max(0, dueMs - this.clock.now()),
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueMs = undefined;
  }
}
