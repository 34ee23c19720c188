// The callers' side of the caller ledgers (caller-ledger.ts): the Worker takes a lease before it
// forwards a stream and gives it back if the stream does not open; from the moment a channel object
// answers the stream, the lease is the object's, which renews it on its probe (one request per
// caller however many of its streams the object holds) and releases it when the stream ends.

import { ApiError, type Clock } from "@jobrun/core";
import { callerLedgerName, LEDGER_PATHS } from "./caller-ledger.js";
import { type DurableObjectNamespaceLike, postToObject } from "./durable-object-types.js";

export interface LeaseTerms {
  /** Streams one caller may hold (at least 1). */
  readonly limit: number;
  readonly ttlMs: number;
}

/** A lease for one more stream of the caller; throws the ledger's 429 at the caller's limit. */
export async function acquireLease(
  namespace: DurableObjectNamespaceLike,
  callerId: string,
  terms: LeaseTerms,
): Promise<string> {
  const response = await send(namespace, callerId, LEDGER_PATHS.acquire, terms);
  if (response.status !== 200) throw ApiError.fromResponseText(await response.text(), response.status);
  const { lease } = (await response.json()) as { lease: string };
  return lease;
}

/** Gives leases back (a lease released twice, or unknown, is no error). */
export async function releaseLeases(
  namespace: DurableObjectNamespaceLike,
  callerId: string,
  leases: readonly string[],
  ttlMs: number,
): Promise<void> {
  await expectDone(await send(namespace, callerId, LEDGER_PATHS.release, { leases, ttlMs }));
}

/** Gives a lease back without waiting on the outcome's error: a failure is logged, and the lease expires. */
export function giveBackLease(
  namespace: DurableObjectNamespaceLike,
  callerId: string,
  lease: string,
  ttlMs: number,
): Promise<void> {
  return releaseLeases(namespace, callerId, [lease], ttlMs).catch((error: unknown) =>
    logFailure("release", error),
  );
}

export interface LeaseRenewerOptions {
  readonly namespace: DurableObjectNamespaceLike;
  /** How often the leases are renewed: the channel object's probe. */
  readonly everyMs: number;
  readonly ttlMs: number;
  readonly clock: Clock;
}

/** A channel object's leases: renewed together while any is held, each released once. */
export class LeaseRenewer {
  private readonly byCaller = new Map<string, Set<string>>();
  private timer: unknown;

  constructor(private readonly options: LeaseRenewerOptions) {}

  /** Renews `lease` from now on, until dropped or released. */
  hold(callerId: string, lease: string): void {
    let leases = this.byCaller.get(callerId);
    if (leases === undefined) {
      leases = new Set();
      this.byCaller.set(callerId, leases);
    }
    leases.add(lease);
    if (this.timer === undefined) this.schedule();
  }

  /** Stops renewing `lease` without releasing it (its open failed: the Worker releases it). */
  drop(callerId: string, lease: string): boolean {
    const leases = this.byCaller.get(callerId);
    if (leases === undefined || !leases.delete(lease)) return false;
    if (leases.size === 0) this.byCaller.delete(callerId);
    if (this.byCaller.size === 0 && this.timer !== undefined) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    return true;
  }

  /** The stream of `lease` ended: it stops being renewed and goes back to the ledger, once. */
  release(callerId: string, lease: string): void {
    if (!this.drop(callerId, lease)) return;
    void giveBackLease(this.options.namespace, callerId, lease, this.options.ttlMs);
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => this.renew(), this.options.everyMs);
  }

  private renew(): void {
    this.timer = undefined;
    const { namespace, ttlMs } = this.options;
    for (const [callerId, leases] of this.byCaller) {
      // A renewal that fails is retried on the next probe; the lease outlives two missed ones.
      send(namespace, callerId, LEDGER_PATHS.renew, { leases: [...leases], ttlMs })
        .then(expectDone)
        .catch((error: unknown) => logFailure("renew", error));
    }
    if (this.byCaller.size > 0) this.schedule();
  }
}

function send(
  namespace: DurableObjectNamespaceLike,
  callerId: string,
  path: string,
  body: unknown,
): Promise<Response> {
  return postToObject(namespace, callerLedgerName(callerId), path, JSON.stringify(body));
}

async function expectDone(response: Response): Promise<void> {
  if (response.status === 204) return;
  throw ApiError.fromResponseText(await response.text(), response.status);
}

function logFailure(what: "renew" | "release", error: unknown): void {
  console.error(JSON.stringify({ level: "error", msg: `watch lease ${what}`, reason: String(error) }));
}
