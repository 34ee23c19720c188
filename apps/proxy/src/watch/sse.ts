// Server-Sent Events framing (the WHATWG HTML "event stream" format): fields of one event on their
// own lines, a blank line ending it, a line starting with ":" a comment that keeps the connection
// alive and is otherwise ignored.

export const EVENT_STREAM_TYPE = "text/event-stream; charset=utf-8";

/**
 * One event. `data` must hold no line break (compact JSON never does); `id` is what the client sends
 * back as Last-Event-ID; `event` names a type other than the default "message".
 */
export function sseEvent(data: string, id?: string, event?: string): string {
  return `${event === undefined ? "" : `event: ${event}\n`}${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`;
}

/** A comment line (a heartbeat, or a word about why the stream ends), one line only. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}

/** How long an EventSource waits before it reconnects, in milliseconds. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}
