/// <reference types="node" />
// The CLI's request log: pino on Node. pino formats a line in a fraction of what JSON.stringify plus
// a synchronous console.log cost, and the lines go out asynchronously, many to a write
// (batched-writer.ts), so logging stays off the request's critical path.
// Only the CLI imports this: the app reaches it through the LogSink seam, and the edge build (no Node
// modules) never sees pino.

import pino, { type DestinationStream, type Logger } from "pino";
import type { LogEntry, LogSink } from "../types.js";
import { batchedWriter } from "./batched-writer.js";

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

/**
 * A LogSink writing through pino. Lines keep the entry's fields in its order after pino's own
 * `level` (as a name, as the Worker's lines have it) and `time` (epoch ms: no date formatting per
 * line); an entry's own `time` and `level` are pino's to write, so they are not repeated.
 */
export function pinoLogSink(options: RequestLogOptions): LogSink {
  const stdout = () => batchedWriter(1);
  const destination =
    options.format === "pretty"
      ? prettyDestination(options.destination ?? stdout())
      : (options.destination ?? stdout());
  const logger: Logger = pino(
    {
      level: options.level,
      base: null, // no pid and hostname on every line
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return (entry) => {
    const { level, time: _time, ...fields } = entry as LogEntry & { level?: unknown; time?: unknown };
    logger[levelOf(level)](fields);
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
  const rest = Object.entries(entry)
    .filter(([key, value]) => !SHOWN_FIRST.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return `${[time, level.padEnd(5), ...head.filter((part) => part !== undefined)].join(" ")}  ${rest.join(" ")}\n`;
}
