// One caller's watch streams across a whole Worker. On Workers each stream lives in the Durable
// Object of its (parent, filter), so no object sees all of a caller's streams; the caller's ledger
// (one more object of the same class, named by callerLedgerName) does: the Worker takes a lease from
// it before it opens a stream, and the channel object holding the stream renews the lease while the
// stream is open and releases it when the stream ends.
//
// Leases live in memory only, which is what they should outlive: nothing. A ledger is evicted only
// after a while without requests, i.e. with no live lease (a live one is renewed every probe); when
// workerd restarts objects (a deploy) the channel objects restart as well and their streams end, so
// leases kept in storage would then lock their callers out until they expired. If a ledger does lose
// live leases, the next renewal of each (within one probe) brings it back: a renewal of a lease the
// ledger does not know creates it, since it stands for a stream that is open. Only a lease released
// in the last TTL is not brought back, so a renewal overtaken by its release cannot revive it.
//
// Expired leases are dropped lazily, on every request, so the ledger needs no alarm: the count
// matters only when a lease is taken.

import type { ApiError } from "@jobrun/core";
import { DEFAULT_WATCH_LIMITS, tooManyWatches } from "./hub.js";

/** The request paths of a ledger (its object's fetch sends them here). */
export const LEDGER_PATHS = {
  acquire: "/ledger/acquire",
  renew: "/ledger/renew",
  release: "/ledger/release",
} as const;

/** The ledger object's name: no channel key (`projects/…`) or the directory's name looks like it. */
export function callerLedgerName(callerId: string): string {
  return `caller\n${callerId}`;
}

export interface AcquireLease {
  /** Streams the caller may hold; at least 1 (a Worker without a limit asks no ledger). */
  readonly limit: number;
  readonly ttlMs: number;
}
export interface RenewLeases {
  readonly leases: readonly string[];
  readonly ttlMs: number;
}
export type ReleaseLeases = RenewLeases;

/** The leases of one caller. Every method runs without awaiting, so a check and its add are one step. */
export class CallerLedger {
  /** Live leases: when each expires. */
  private readonly leases = new Map<string, number>();
  /** Leases released lately: until when a renewal may not bring them back. */
  private readonly released = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Live leases, as of now. */
  get held(): number {
    this.dropExpired();
    return this.leases.size;
  }

  /** A new lease, or the refusal of a caller at its limit. */
  acquire(request: AcquireLease): { readonly lease: string } | { readonly refused: ApiError } {
    const held = this.held;
    if (held >= request.limit)
      return { refused: tooManyWatches(held, request.limit, DEFAULT_WATCH_LIMITS.retryMs) };
    const lease = this.newId();
    this.leases.set(lease, this.now() + request.ttlMs);
    return { lease };
  }

  /** Extends the leases (bringing back those the ledger lost: see above). */
  renew(request: RenewLeases): void {
    this.dropExpired();
    const until = this.now() + request.ttlMs;
    for (const lease of request.leases) if (!this.released.has(lease)) this.leases.set(lease, until);
  }

  release(request: ReleaseLeases): void {
    this.dropExpired();
    const until = this.now() + request.ttlMs;
    for (const lease of request.leases) {
      this.leases.delete(lease);
      this.released.set(lease, until);
    }
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [lease, until] of this.leases) if (until <= now) this.leases.delete(lease);
    for (const [lease, until] of this.released) if (until <= now) this.released.delete(lease);
  }
}

/**
 * A ledger object's answer to one of LEDGER_PATHS: 200 `{lease}`, the 429 refusal as an ApiError
 * (the object's fetch answers it as a google.rpc.Status), 204 after a renewal or release; undefined
 * for any other path.
 */
export async function ledgerFetch(
  ledger: CallerLedger,
  path: string,
  request: Request,
): Promise<Response | undefined> {
  switch (path) {
    case LEDGER_PATHS.acquire: {
      const taken = ledger.acquire(leaseRequest<AcquireLease>(await request.json(), "limit"));
      if ("refused" in taken) throw taken.refused;
      return Response.json({ lease: taken.lease });
    }
    case LEDGER_PATHS.renew:
      ledger.renew(leaseRequest<RenewLeases>(await request.json(), "leases"));
      return new Response(null, { status: 204 });
    case LEDGER_PATHS.release:
      ledger.release(leaseRequest<ReleaseLeases>(await request.json(), "leases"));
      return new Response(null, { status: 204 });
    default:
      return undefined;
  }
}

/** A request body from the Worker or a channel object, checked enough that a bug shows as one. */
function leaseRequest<T extends { readonly ttlMs: number }>(body: unknown, field: "limit" | "leases"): T {
  const record = body as Record<string, unknown> | null;
  const ok =
    typeof record === "object" &&
    record !== null &&
    typeof record.ttlMs === "number" &&
    record.ttlMs > 0 &&
    (field === "limit"
      ? typeof record.limit === "number" && record.limit >= 1
      : Array.isArray(record.leases) && record.leases.every((lease) => typeof lease === "string"));
  if (!ok) throw new Error(`a caller ledger request without a valid ${field} and ttlMs`);
  return body as T;
}
