// The test's end of the bridge to a driver running in another runtime: a JobRunService whose every
// call is made by the driver there (see driver/driver.ts). An HTTP server on loopback: the driver
// long-polls `GET /next` for calls and posts their outcomes to `POST /result`; it also serves the
// page and script a browser loads, so the page's origin is the bridge's.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DescMessage } from "@bufbuild/protobuf";
import {
  ApiError,
  type CallOptions,
  decodeJson,
  JobRunSchema,
  type JobRunService,
  ListJobRunsResponseSchema,
  TerminateJobRunResponseSchema,
} from "@jobrun/core";
import type {
  CallResult,
  DriverConfig,
  Hello,
  MethodName,
  NextMessage,
  WireCallOptions,
} from "../../driver/protocol.ts";

/** A file the bridge serves (the browser's page and the bundled driver). */
export interface ServedFile {
  readonly type: string;
  readonly body: string;
}

export interface Bridge {
  /** The bridge's origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The service whose calls the driver makes. */
  readonly service: JobRunService;
  /** Resolves with the driver's hello once it has connected; rejects if the bridge fails first. */
  readonly connected: Promise<Hello>;
  /** What the driver's client is built with; set before the driver starts. */
  configure(config: DriverConfig): void;
  /** Fails every pending and later call with `error` (the driver's runtime died, say). */
  fail(error: Error): void;
  /** Tells the driver to exit, then stops serving. */
  close(): Promise<void>;
}

const responseSchemas: Record<MethodName, DescMessage> = {
  getJobRun: JobRunSchema,
  listJobRuns: ListJobRunsResponseSchema,
  terminateJobRun: TerminateJobRunResponseSchema,
};

/** A long poll answers "idle" after this long without a call, so no socket sits open for minutes. */
const IDLE_POLL_MS = 10_000;

export async function startBridge(files: Readonly<Record<string, ServedFile>> = {}): Promise<Bridge> {
  let config: DriverConfig | undefined;
  let failure: Error | undefined;
  let closed = false;
  let nextId = 0;
  const queue: NextMessage[] = [];
  let poll: { response: ServerResponse; timer: ReturnType<typeof setTimeout> } | undefined;
  const pending = new Map<number, { resolve(result: CallResult): void; reject(error: Error): void }>();
  let onHello: (hello: Hello) => void = () => {};
  let onFailure: (error: Error) => void = () => {};
  const connected = new Promise<Hello>((resolve, reject) => {
    onHello = resolve;
    onFailure = reject;
  });
  connected.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  const answerPoll = (message: NextMessage): void => {
    if (poll === undefined) return;
    clearTimeout(poll.timer);
    sendJson(poll.response, 200, message);
    poll = undefined;
  };
  const send = (message: NextMessage): void => {
    if (poll !== undefined) answerPoll(message);
    else queue.push(message);
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://bridge").pathname;
    if (request.method === "GET" && path === "/next") {
      const message = closed ? ({ kind: "exit" } as const) : queue.shift();
      if (message !== undefined) return sendJson(response, 200, message);
      answerPoll({ kind: "idle" }); // a driver has one poll open at a time; an older one is stale
      poll = { response, timer: setTimeout(() => answerPoll({ kind: "idle" }), IDLE_POLL_MS) };
      return;
    }
    if (request.method === "POST" && path === "/hello") {
      return void readJson(request).then((hello) => {
        if (config === undefined) return sendJson(response, 503, { error: "the bridge is not configured" });
        onHello(hello as Hello);
        sendJson(response, 200, config);
      });
    }
    if (request.method === "POST" && path === "/result") {
      return void readJson(request).then((body) => {
        const result = body as CallResult;
        pending.get(result.id)?.resolve(result);
        pending.delete(result.id);
        sendJson(response, 200, {});
      });
    }
    const file = request.method === "GET" ? files[path] : undefined;
    if (file !== undefined) {
      response.writeHead(200, { "content-type": file.type, "cache-control": "no-store" });
      return void response.end(file.body);
    }
    sendJson(response, 404, { error: `no ${request.method} ${path} here` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const remoteCall = async (method: MethodName, request: object, options: CallOptions = {}) => {
    if (failure !== undefined) throw failure;
    const id = ++nextId;
    const { signal, timeoutMs } = options;
    const wire: WireCallOptions = {
      ...(signal === undefined ? {} : { signal: signal.aborted ? "aborted" : "live" }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
    const cancel = () => send({ kind: "cancel", id });
    if (signal !== undefined && !signal.aborted) signal.addEventListener("abort", cancel, { once: true });
    try {
      const result = await new Promise<CallResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ kind: "call", id, method, request: request as Record<string, unknown>, options: wire });
      });
      if (result.ok) return decodeJson(responseSchemas[method], result.response);
      if ("apiError" in result) throw ApiError.fromJson(result.apiError, result.apiError.error.code);
      throw new Error(`the call threw inside the runtime, not with an ApiError:\n${result.thrown}`);
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  };

  const service = {
    getJobRun: (request, options) => remoteCall("getJobRun", request, options),
    listJobRuns: (request, options) => remoteCall("listJobRuns", request, options),
    terminateJobRun: (request, options) => remoteCall("terminateJobRun", request, options),
  } as JobRunService;

  const fail = (error: Error): void => {
    if (failure !== undefined) return;
    failure = error;
    onFailure(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  return {
    url,
    service,
    connected,
    configure: (driverConfig) => {
      config = driverConfig;
    },
    fail,
    close: async () => {
      closed = true;
      answerPoll({ kind: "exit" });
      fail(new Error("the bridge is closed"));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A driver that never polls again must not hold the server open.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}
