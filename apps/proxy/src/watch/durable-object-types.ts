// The parts of the Workers runtime's Durable Object types the watch uses, so that its modules need
// neither @cloudflare/workers-types nor each other to name them; and how the watch sends one of its
// objects (a channel, the directory, a caller's ledger) a request.

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

/** The origin of the watch's requests to its own objects (never sent over a network). */
const ORIGIN = "https://watch-channel";

/** POSTs `body` to `path` of the object named `name`. */
export function postToObject(
  namespace: DurableObjectNamespaceLike,
  name: string,
  path: string,
  body?: string,
): Promise<Response> {
  const object = namespace.get(namespace.idFromName(name));
  return object.fetch(
    new Request(`${ORIGIN}${path}`, { method: "POST", ...(body === undefined ? {} : { body }) }),
  );
}
