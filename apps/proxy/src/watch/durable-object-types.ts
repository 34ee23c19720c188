// The parts of the Workers runtime's Durable Object types the watch uses, so that its modules need
// neither @cloudflare/workers-types nor each other to name them.

import type { AlarmStorage } from "./durable-object-clock.js";

export interface DurableObjectStateLike {
  readonly storage: AlarmStorage & {
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
    list(options?: { prefix?: string }): Promise<Map<string, unknown>>;
  };
}
export interface DurableObjectStubLike {
  fetch(request: Request): Promise<Response>;
}
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStubLike;
}
