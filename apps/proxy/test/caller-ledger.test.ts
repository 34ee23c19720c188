// The caller ledger of the Workers watch (one caller's leases on watch streams across all channel
// objects) and the channel objects' renewer, on a clock the test moves: leases taken up to the
// limit, kept alive by renewals, released at once, and expired when nobody renews them. The ledger
// is reached through its object's own request handling (ledgerFetch) and the renewer's real requests.
import type { Clock } from "@jobrun/core";
import { describe, expect, it } from "vitest";
import { errorResponse, toApiError } from "../src/errors.js";
import { acquireLease, LeaseRenewer, releaseLeases } from "../src/watch/caller-leases.js";
import { CallerLedger, callerLedgerName, ledgerFetch } from "../src/watch/caller-ledger.js";
import type { DurableObjectNamespaceLike } from "../src/watch/durable-object-types.js";

/** A clock whose time moves only when the test says; timers run as it passes them. */
class TestClock implements Clock {
  private time = 1_700_000_000_000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.next++;
    this.timers.set(handle, { at: this.time + ms, callback });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves the time on by `ms`, running each timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      // The renewals the timer sent reach the ledger before the time moves on.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.time = end;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

const TTL = 3_000;
const PROBE = 1_000;

/** Ledger objects by name, answering as WatchChannelObject's fetch does (errors as google.rpc.Status). */
function ledgers(clock: Clock) {
  const byName = new Map<string, CallerLedger>();
  let requests = 0;
  const namespace: DurableObjectNamespaceLike = {
    idFromName: (name) => name,
    get: (id) => ({
      async fetch(request: Request): Promise<Response> {
        requests += 1;
        const name = id as string;
        let ledger = byName.get(name);
        if (ledger === undefined) {
          ledger = new CallerLedger(() => clock.now());
          byName.set(name, ledger);
        }
        try {
          return (
            (await ledgerFetch(ledger, new URL(request.url).pathname, request)) ??
            new Response(null, { status: 404 })
          );
        } catch (error) {
          return errorResponse(toApiError(error), {}, { prettyPrint: false, errorFormat: "2" });
        }
      },
    }),
  };
  return {
    namespace,
    held: (callerId: string) => byName.get(callerLedgerName(callerId))?.held ?? 0,
    /** The ledger object restarts: its memory is gone. */
    forget: (callerId: string) => byName.delete(callerLedgerName(callerId)),
    get requests() {
      return requests;
    },
  };
}

const terms = { limit: 2, ttlMs: TTL };

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) =>
      e as { httpStatus: number; code: string; message: string; details: Record<string, unknown>[] },
  );
  expect(error).toBeDefined();
  return error!;
}

describe("the caller ledger", () => {
  it("gives a caller leases up to its limit, then the hub's 429 RESOURCE_EXHAUSTED; other callers are apart", async () => {
    const clock = new TestClock();
    const { namespace } = ledgers(clock);
    const a = await acquireLease(namespace, "alice", terms);
    const b = await acquireLease(namespace, "alice", terms);
    expect(a).not.toBe(b);
    const refused = await refusal(acquireLease(namespace, "alice", terms));
    expect(refused.httpStatus).toBe(429);
    expect(refused.code).toBe("RESOURCE_EXHAUSTED");
    expect(refused.message).toBe(
      "this caller already holds 2 watch streams, the most one caller may hold; close one first",
    );
    expect(refused.details).toContainEqual(
      expect.objectContaining({
        reason: "TOO_MANY_WATCHES",
        domain: "jobrun-proxy",
        metadata: { limit: "2" },
      }),
    );
    expect(refused.details).toContainEqual(expect.objectContaining({ retryDelay: "2s" }));
    await expect(acquireLease(namespace, "bob", terms)).resolves.toEqual(expect.any(String));
  });

  it("expires a lease nobody renews after its TTL, and not before", async () => {
    const clock = new TestClock();
    const { namespace, held } = ledgers(clock);
    await acquireLease(namespace, "alice", terms);
    await acquireLease(namespace, "alice", terms);
    await clock.advance(TTL - 1);
    expect(held("alice")).toBe(2);
    await refusal(acquireLease(namespace, "alice", terms));
    await clock.advance(1);
    expect(held("alice")).toBe(0);
    await expect(acquireLease(namespace, "alice", terms)).resolves.toEqual(expect.any(String));
  });

  it("frees a released lease at once; releasing twice or an unknown lease is no error", async () => {
    const clock = new TestClock();
    const { namespace, held } = ledgers(clock);
    const a = await acquireLease(namespace, "alice", terms);
    await acquireLease(namespace, "alice", terms);
    await releaseLeases(namespace, "alice", [a], TTL);
    await releaseLeases(namespace, "alice", [a, "never-given"], TTL);
    expect(held("alice")).toBe(1);
    await expect(acquireLease(namespace, "alice", terms)).resolves.toEqual(expect.any(String));
  });
});

describe("a channel object's lease renewer", () => {
  it("keeps its leases alive past their TTL with one renewal per caller per probe, and releases each once", async () => {
    const clock = new TestClock();
    const store = ledgers(clock);
    const renewer = new LeaseRenewer({ namespace: store.namespace, everyMs: PROBE, ttlMs: TTL, clock });
    const a = await acquireLease(store.namespace, "alice", terms);
    const b = await acquireLease(store.namespace, "alice", terms);
    renewer.hold("alice", a);
    renewer.hold("alice", b);
    const before = store.requests;
    await clock.advance(10 * TTL);
    // Ten TTLs later both are held: 30 probes, one request each for both of alice's leases.
    expect(store.held("alice")).toBe(2);
    expect(store.requests - before).toBe(30);
    renewer.release("alice", a);
    renewer.release("alice", a);
    await clock.advance(0);
    expect(store.held("alice")).toBe(1);
    expect(store.requests - before).toBe(31);
    // A renewal sent before the release but arriving after it does not bring the lease back.
    await store.namespace.get(store.namespace.idFromName(callerLedgerName("alice"))).fetch(
      new Request("https://watch-channel/ledger/renew", {
        method: "POST",
        body: JSON.stringify({ leases: [a, b], ttlMs: TTL }),
      }),
    );
    expect(store.held("alice")).toBe(1);
  });

  it("stops renewing once nothing is held, so a lease it drops expires", async () => {
    const clock = new TestClock();
    const store = ledgers(clock);
    const renewer = new LeaseRenewer({ namespace: store.namespace, everyMs: PROBE, ttlMs: TTL, clock });
    const a = await acquireLease(store.namespace, "alice", terms);
    renewer.hold("alice", a);
    await clock.advance(2 * PROBE);
    renewer.drop("alice", a);
    const before = store.requests;
    await clock.advance(TTL);
    expect(store.requests).toBe(before);
    expect(store.held("alice")).toBe(0);
  });

  it("gives a ledger that lost its memory the open streams' leases back on the next probe", async () => {
    const clock = new TestClock();
    const store = ledgers(clock);
    const renewer = new LeaseRenewer({ namespace: store.namespace, everyMs: PROBE, ttlMs: TTL, clock });
    renewer.hold("alice", await acquireLease(store.namespace, "alice", terms));
    renewer.hold("alice", await acquireLease(store.namespace, "alice", terms));
    store.forget("alice");
    await clock.advance(PROBE);
    expect(store.held("alice")).toBe(2);
    await refusal(acquireLease(store.namespace, "alice", terms));
  });
});
