// The `id:` of a watch event, which an EventSource sends back as Last-Event-ID when it reconnects:
// the epoch of the channel that numbered the event (random per channel, so a token from another
// channel, an earlier one, or another proxy instance is never taken for one of this channel's) and
// the event's sequence number in it.

/** A parsed resume token. */
export interface ResumeToken {
  readonly epoch: string;
  readonly seq: number;
}

const TOKEN = /^([0-9a-z]{1,32})\.([0-9]{1,15})$/;

export function formatResumeToken(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

/** The token in a Last-Event-ID header, or undefined for none or one that is not ours. */
export function parseResumeToken(text: string | undefined | null): ResumeToken | undefined {
  if (text === undefined || text === null) return undefined;
  const match = TOKEN.exec(text.trim());
  if (match === null) return undefined;
  return { epoch: match[1] as string, seq: Number(match[2]) };
}

/** A fresh channel epoch: 64 random bits in base 36. */
export function newEpoch(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value.toString(36);
}
