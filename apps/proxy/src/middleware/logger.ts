import type { MiddlewareHandler } from "hono";
import type { LogEntry, LogSink, ProxyEnv } from "../types.js";

/** Writes one JSON object per line to stdout (the format Cloud Logging and Workers Logs parse). */
export const jsonLineSink: LogSink = (entry) => {
  console.log(JSON.stringify(entry));
};

/**
 * One structured line per request. It holds the method, the path (resource names are not secret),
 * status, duration, caller id and what the handler added; never headers, the query (it could hold a
 * key someone pasted) or a body, so no credential can reach the logs.
 */
export function logger(sink: LogSink): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const status = c.res.status;
    const entry: LogEntry = {
      time: new Date().toISOString(),
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - start) * 100) / 100,
      caller: c.get("caller")?.id,
      ...c.get("logFields"),
    };
    sink(entry);
  };
}
