/// <reference types="node" />
// The CLI's request log: pino on Node. pino formats a line in a fraction of what JSON.stringify plus
// a synchronous console.log cost, and the lines go out asynchronously, many to a write
// (batched-writer.ts), so logging stays off the request's critical path.
// Only the CLI imports this: the app reaches it through the LogSink seam, and the edge build (no Node
// modules) never sees pino.

import pino, { type DestinationStream, type Logger } from "pino";
import type { LogEntry, LogSink } from "../types.js";
import { batchedWriter } from "./batched-writer.js";
import { BoundLoggers } from "./bound-loggers.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface RequestLogOptions {
  /** Lines below this level are dropped; `silent` drops all. */
  readonly level: LogLevel;
  /** `json`: one JSON object per line (what log collectors parse); `pretty`: one readable line per request. */
  readonly format: LogFormat;
  /** Where lines go. Default stdout, written asynchronously in batches (flushed on exit). */
  readonly destination?: DestinationStream;
}

/** The levels an entry may carry (logRequest sets info, warn or error). */
type EntryLevel = Exclude<LogLevel, "silent">;

/** How long an entry may wait to be formatted with the others of its moment. */
const FORMAT_DELAY_MS = 10;
/** Entries waiting at most; one more formats them all at once, so memory stays bounded under any load. */
const MAX_WAITING = 2048;

/**
 * A LogSink writing through pino. Lines keep the entry's fields in its order after pino's own
 * `level` (as a name, as the Worker's lines have it) and `time` (epoch ms: no date formatting per
 * line); an entry's own `time` and `level` are pino's to write, so they are not repeated.
 *
 * Entries are formatted in batches, off the request's path: the sink keeps the entry and the time it
 * came, and pino formats the entries of the last few milliseconds together (before the process
 * exits too). Formatted one at a time between requests, a line cost about twice its CPU time in a
 * loop (pino's code and data cold again on each request); the line and its time are the same.
 * The fields that repeat for one path and caller are written by a child logger that holds them
 * already serialized (bound-loggers.ts).
 */
export function pinoLogSink(options: RequestLogOptions): LogSink {
  // Registered before the destination's own exit hook, so the entries still waiting are formatted
  // before it writes out what it holds.
  process.once("exit", () => formatWaiting());
  const stdout = () => batchedWriter(1);
  const destination =
    options.format === "pretty"
      ? prettyDestination(options.destination ?? stdout())
      : (options.destination ?? stdout());
  /**
   * The time of the entry being formatted (when it was logged, not when its line is written), and its
   * text: made once per millisecond, not once per line (an epoch in ms is too large for V8's small
   * integers, so each conversion to text took the slow path: about 3% of a line's instructions).
   */
  let entryTime = -1;
  let timeText = "";
  const logger: Logger = pino(
    {
      level: options.level,
      base: null, // no pid and hostname on every line
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => timeText,
    },
    destination,
  );
  const bound = new BoundLoggers(logger);
  const times: number[] = [];
  const waiting: LogEntry[] = [];
  let scheduled = false;
  function formatWaiting(): void {
    scheduled = false;
    for (let i = 0; i < waiting.length; i += 1) {
      const time = times[i] as number;
      if (time !== entryTime) {
        entryTime = time;
        timeText = `,"time":${time}`;
      }
      const entry = waiting[i] as Record<string, unknown>;
      const level = levelOf(entry.level);
      // pino writes its own level and time first, and leaves out fields that are undefined. The sink
      // owns the entry (LogSink's contract), so the two are cleared in place: a copy without them
      // (a rest spread) cost a third of the line's formatting.
      entry.level = undefined;
      if (entry.time !== undefined) entry.time = undefined;
      bound.take(entry)[level](entry);
    }
    times.length = 0;
    waiting.length = 0;
  }
  return (entry) => {
    if (!logger.isLevelEnabled(levelOf(entry.level))) return;
    times.push(Date.now());
    waiting.push(entry);
    if (waiting.length >= MAX_WAITING) formatWaiting();
    else if (!scheduled) {
      scheduled = true;
      setTimeout(formatWaiting, FORMAT_DELAY_MS).unref();
    }
  };
}

function levelOf(level: unknown): EntryLevel {
  return level === "warn" || level === "error" || level === "debug" || level === "trace" ? level : "info";
}

/**
 * A destination that turns pino's JSON lines into one readable line each, then hands them on:
 * `12:40:38.123 INFO  GET /v1/… 200 0.42 ms  requestId=… caller=… rpc=…`. For a person at a
 * terminal, where a parse per line costs nothing that matters; machines read `json`.
 */
function prettyDestination(out: DestinationStream): DestinationStream {
  return { write: (line: string) => out.write(prettyLine(line)) };
}

const SHOWN_FIRST = new Set(["level", "time", "msg", "method", "path", "status", "durationMs"]);
/** Then these, then the rest in the line's order. */
const SHOWN_NEXT = ["requestId", "caller", "rpc", "resource"];

/** One pino JSON line as a readable line; a line that is not JSON passes unchanged. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === "number" ? new Date(entry.time).toISOString().slice(11, 23) : "";
  const level = String(entry.level ?? "info").toUpperCase();
  const head =
    entry.method !== undefined || entry.path !== undefined
      ? [
          entry.method,
          entry.path,
          entry.status,
          entry.durationMs === undefined ? undefined : `${entry.durationMs} ms`,
        ]
      : [entry.msg, entry.status];
  // The same order whichever way the line was written (a child logger's bound fields come first).
  const keys = [...SHOWN_NEXT, ...Object.keys(entry).filter((key) => !SHOWN_NEXT.includes(key))];
  const rest = keys
    .filter((key) => !SHOWN_FIRST.has(key) && entry[key] !== undefined)
    .map((key) => `${key}=${typeof entry[key] === "string" ? entry[key] : JSON.stringify(entry[key])}`);
  return `${[time, level.padEnd(5), ...head.filter((part) => part !== undefined)].join(" ")}  ${rest.join(" ")}\n`;
}
