// `POST /pubsub/push`: Cloud Deploy's notifications, through a Pub/Sub push subscription, make the
// google-mode watch poll at once instead of at its next interval. Answered before the callers' auth
// (Pub/Sub holds no caller key): the push's own OIDC token is checked instead, and a refused push
// (401/403) or a malformed one (400) changes nothing. An accepted push is acked (204) as soon as the
// polls it prompts are started; a push about a run nobody watches costs no upstream call.

import { errorResponse, proxyError } from "../errors.js";
import { readBodyText } from "../steps/body-limit.js";
import type { Step } from "../steps/pipeline.js";
import type { GooglePoller } from "./google-poller.js";
import { type ChangedRunPlace, changedRunPlace, mayBeUnder, parsePushBody } from "./pubsub-message.js";
import { createPushVerifier, type PushAuthOptions } from "./pubsub-token.js";

export const PUBSUB_PUSH_PATH = "/pubsub/push";

/** Pub/Sub's largest message is 10 MB; Cloud Deploy's are a few hundred bytes of attributes. */
const MAX_PUSH_BYTES = 64 * 1024;

/**
 * What a push prompts: every watch whose parent a run at `place` could be under polls at once.
 * Resolves to how many did.
 */
export interface PushPrompted {
  prompt(place: ChangedRunPlace): number | Promise<number>;
}

/** The pushes' prompts to one proxy's own poller (the Node CLI). */
export function promptsOf(poller: GooglePoller): PushPrompted {
  return { prompt: (place) => poller.prompt((parent) => mayBeUnder(place, parent)) };
}

export interface PubsubPushOptions extends PushAuthOptions {
  /** The google-mode watch (the poller, or on Workers the Durable Objects' directory). */
  readonly watches: PushPrompted;
}

export function pubsubPush(options: PubsubPushOptions): Step {
  const verify = createPushVerifier(options);
  return async (c, state) => {
    if (c.req.path !== PUBSUB_PUSH_PATH) return undefined;
    state.fields.rpc = "PubsubPush";
    if (state.method !== "POST") {
      const error = proxyError(
        "UNIMPLEMENTED",
        "HTTP_METHOD_NOT_ALLOWED",
        `method ${c.req.method} is not allowed here; Pub/Sub pushes with POST`,
        { httpStatus: 405 },
      );
      return errorResponse(error, { ...state.headers, allow: "POST" }, state);
    }
    // The token before the body: an unauthenticated sender gets nothing read.
    await verify(c.req.raw.headers.get("authorization"));
    const message = parsePushBody(await readBodyText(c.req.raw, MAX_PUSH_BYTES));
    const place = changedRunPlace(message.attributes);
    state.fields.pushMessage = message.messageId;
    state.fields.prompted = place === undefined ? 0 : await options.watches.prompt(place);
    return new Response(null, { status: 204, headers: state.headers });
  };
}
