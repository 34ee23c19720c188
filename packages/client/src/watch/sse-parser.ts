// A Server-Sent Events parser, as the WHATWG HTML standard's "event stream interpretation" says:
// lines end in CRLF, LF or CR; a line starting with ":" is a comment; `field: value` (one space
// after the colon dropped) sets a field; a blank line dispatches the event. Fed text as it arrives,
// in chunks that may split a line (or a CRLF) anywhere.

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field; "message" when none was given. */
  readonly event: string;
  /** The `data:` lines, joined by "\n". */
  readonly data: string;
  /** The last event id in force (the stream's, not only this event's), "" for none. */
  readonly lastEventId: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A `retry:` field: how long to wait before reconnecting, in milliseconds. */
  onRetry?(ms: number): void;
  /** Any line at all arrived (comments included): the connection is alive. */
  onActivity?(): void;
}

export interface SseParser {
  /** Feeds decoded text; dispatches every event it completes. */
  feed(text: string): void;
  /** The last event id seen, which a reconnect sends as Last-Event-ID. */
  readonly lastEventId: string;
}

export function createSseParser(handlers: SseHandlers, lastEventId = ""): SseParser {
  let buffer = "";
  let first = true;
  let data: string[] = [];
  let event = "";
  let id = lastEventId;
  let pendingCR = false;

  const line = (text: string): void => {
    handlers.onActivity?.();
    if (text === "") {
      if (data.length > 0)
        handlers.onEvent({ event: event === "" ? "message" : event, data: data.join("\n"), lastEventId: id });
      data = [];
      event = "";
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        data.push(value);
        return;
      case "event":
        event = value;
        return;
      case "id":
        if (!value.includes("\u0000")) id = value;
        return;
      case "retry":
        if (/^\d+$/.test(value)) handlers.onRetry?.(Number(value));
        return;
      default:
        return;
    }
  };

  return {
    feed(text: string): void {
      if (first && text !== "") {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CR that ended the previous chunk and an LF that starts this one are one line ending.
      if (pendingCR && text.startsWith("\n")) text = text.slice(1);
      pendingCR = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) pendingCR = true;
          else if (buffer.charCodeAt(i + 1) === 10) i += 1;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return id;
    },
  };
}
