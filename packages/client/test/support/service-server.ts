import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DescMessage } from "@bufbuild/protobuf";
import { ApiError, decodeJson, encodeJson, isApiError, type JobRunService } from "@jobrun/core";
import { matchRoute, readSystemParameters } from "@jobrun/core/server";

export interface ServiceServer {
  readonly url: string;
  /** Requests served, for tests that count round trips. */
  readonly requestCount: () => number;
  close(): Promise<void>;
}

/**
 * Serves any JobRunService over the REST surface on loopback, for the client's tests: routes
 * matched with core's route table, requests and responses through core's codec, errors as core's
 * ApiError JSON. (The real proxy, with its middleware, is @jobrun/proxy.)
 */
export async function serveJobRunService(service: JobRunService): Promise<ServiceServer> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    const aborted = new AbortController();
    response.on("close", () => aborted.abort(new ApiError("CANCELLED", "the client went away")));
    readBody(request)
      .then((body) => handle(service, request, body, aborted.signal))
      .then(
        ({ status, json }) => send(response, status, json),
        (error: unknown) => {
          const apiError = isApiError(error) ? error : new ApiError("INTERNAL", "internal error");
          send(response, apiError.httpStatus, apiError.toJSON());
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requestCount: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(service: JobRunService, request: IncomingMessage, body: string, signal: AbortSignal) {
  const url = new URL(request.url ?? "/", "http://loopback");
  const match = matchRoute(request.method ?? "GET", url.pathname);
  if (match.kind === "not-found") throw new ApiError("NOT_FOUND", `no route for ${url.pathname}`);
  if (match.kind === "method-not-allowed") {
    throw new ApiError("UNIMPLEMENTED", `method ${request.method} is not allowed here`, { httpStatus: 405 });
  }
  const { route, params } = match;
  const { enumEncoding } = readSystemParameters(url.searchParams);
  const fields = route.body === "*" ? jsonBodyFields(body) : queryFields(url.searchParams);
  const input = decodeJson(route.input, { ...fields, ...params }) as never;
  const options = { signal };
  let output: unknown;
  switch (route.rpc) {
    case "GetJobRun":
      output = await service.getJobRun(input, options);
      break;
    case "ListJobRuns":
      output = await service.listJobRuns(input, options);
      break;
    case "TerminateJobRun":
      output = await service.terminateJobRun(input, options);
      break;
  }
  return { status: 200, json: encodeJson(route.output as DescMessage, output as never, { enumEncoding }) };
}

function jsonBodyFields(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new ApiError("INVALID_ARGUMENT", "the request body is not JSON", { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ApiError("INVALID_ARGUMENT", "the request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

// Query parameters are the request's JSON field names; system parameters ($alt) are not fields.
function queryFields(query: URLSearchParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of query) if (!key.startsWith("$") && key !== "alt") fields[key] = value;
  return fields;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, json: unknown) {
  if (response.destroyed) return;
  const text = JSON.stringify(json);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
