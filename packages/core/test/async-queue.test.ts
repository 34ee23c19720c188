// AsyncQueue: what a producer pushes, a for-await loop pulls, in order; ending, failing and breaking
// out each release the producer exactly once.
import { describe, expect, it } from "vitest";
import { AsyncQueue } from "../src/index.js";

describe("AsyncQueue", () => {
  it("hands items to a waiting loop and queues them for a later one, in order", async () => {
    const queue = new AsyncQueue<number>();
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await first).toEqual({ value: 1, done: false });
    expect(queue.size).toBe(2);
    queue.end();
    const rest: number[] = [];
    for await (const item of queue) rest.push(item);
    expect(rest).toEqual([2, 3]);
  });

  it("fails the loop at once with end(error), dropping what is queued", async () => {
    let closed = 0;
    const queue = new AsyncQueue<number>(() => {
      closed += 1;
    });
    queue.push(1);
    queue.end(new Error("lost"));
    await expect(queue.next()).rejects.toThrow("lost");
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it("rejects a loop already waiting when it fails", async () => {
    const queue = new AsyncQueue<number>();
    const waiting = queue.next();
    queue.end(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
  });

  it("runs onClose once when the consumer breaks out, and ignores pushes after", async () => {
    let closed = 0;
    const queue = new AsyncQueue<number>(() => {
      closed += 1;
    });
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(closed).toBe(1);
    queue.push(3);
    queue.end();
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it("refuses a second next() while one is waiting", async () => {
    const queue = new AsyncQueue<number>();
    void queue.next();
    await expect(queue.next()).rejects.toThrow(/before the last call settled/);
    queue.end();
  });

  it("keeps memory to what is unread over a long life", async () => {
    const queue = new AsyncQueue<number>();
    for (let i = 0; i < 10_000; i += 1) {
      queue.push(i);
      expect((await queue.next()).value).toBe(i);
    }
    expect(queue.size).toBe(0);
  });
});
