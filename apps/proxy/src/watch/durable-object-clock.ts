// A Clock whose timers are a Durable Object's alarm. A Durable Object has one alarm; this keeps any
// number of timers and sets the alarm to the earliest. The alarm (unlike setTimeout) wakes the
// object when it has gone idle, and it is the only timer Cloudflare promises a Durable Object.

import type { Clock } from "@jobrun/core";

/** The part of a Durable Object's storage the clock uses. */
export interface AlarmStorage {
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

interface Timer {
  readonly at: number;
  readonly callback: () => void;
}

export class AlarmClock implements Clock {
  private readonly timers = new Map<number, Timer>();
  private nextHandle = 1;
  /** The time the alarm is set for, as far as this clock set it. */
  private armedAt: number | undefined;

  constructor(private readonly storage: AlarmStorage) {}

  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: Date.now() + Math.max(0, ms), callback });
    this.arm();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number" && this.timers.delete(handle)) this.arm();
  }

  /** The object's `alarm()` handler: runs every timer that is due, and sets the alarm for the next. */
  ring(): void {
    this.armedAt = undefined;
    const now = Date.now();
    const due = [...this.timers].filter(([, timer]) => timer.at <= now);
    for (const [handle] of due) this.timers.delete(handle);
    for (const [, timer] of due) timer.callback();
    this.arm();
  }

  private arm(): void {
    let earliest: number | undefined;
    for (const timer of this.timers.values())
      if (earliest === undefined || timer.at < earliest) earliest = timer.at;
    if (earliest === this.armedAt) return;
    this.armedAt = earliest;
    const done = earliest === undefined ? this.storage.deleteAlarm() : this.storage.setAlarm(earliest);
    done.catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "watch alarm", reason: String(error) }));
    });
  }
}
