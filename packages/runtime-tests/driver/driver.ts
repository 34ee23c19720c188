// The driver: runs inside Deno, Bun or a browser page and makes every JobRunService call the test
// asks for with @jobrun/client, against the proxy, over the runtime's own fetch. It uses web APIs
// only (fetch, AbortController), so one driver serves every runtime; the test's bridge hands it
// calls (`GET /next`, a long poll) and takes the outcomes back (`POST /result`).
//
// Calls run concurrently, as the test issues them: a call is started as soon as it arrives and the
// next one is asked for at once.

import { createJobRunsClient, type JobRunsClient, staticToken } from "@jobrun/client";
import {
  type CallOptions,
  encodeJson,
  isApiError,
  JobRunSchema,
  ListJobRunsResponseSchema,
  TerminateJobRunResponseSchema,
} from "@jobrun/core";
import type { CallCommand, CallResult, DriverConfig, Hello, NextMessage } from "./protocol.ts";

/** Connects to the bridge at `bridgeUrl` and serves its calls until it says exit. */
export async function runDriver(bridgeUrl: string): Promise<void> {
  const hello: Hello = { userAgent: navigator.userAgent };
  const config = (await post(`${bridgeUrl}/hello`, hello)) as DriverConfig;
  const client = createJobRunsClient({
    endpoint: config.endpoint,
    retry: false,
    auth: staticToken(config.token),
  });
  const live = new Map<number, AbortController>();
  const running = new Set<Promise<void>>();
  for (;;) {
    const response = await fetch(`${bridgeUrl}/next`);
    const message = (await response.json()) as NextMessage;
    if (message.kind === "exit") break;
    if (message.kind === "idle") continue;
    if (message.kind === "cancel") {
      live.get(message.id)?.abort();
      continue;
    }
    const task = call(client, message, live)
      .then((result) => post(`${bridgeUrl}/result`, result))
      .then(
        () => undefined,
        () => undefined, // the bridge went away mid-call: the test is over
      )
      .finally(() => {
        live.delete(message.id);
        running.delete(task);
      });
    running.add(task);
  }
  await Promise.all(running);
}

async function call(
  client: JobRunsClient,
  command: CallCommand,
  live: Map<number, AbortController>,
): Promise<CallResult> {
  const options: { signal?: AbortSignal; timeoutMs?: number } = {};
  if (command.options.signal === "aborted") options.signal = AbortSignal.abort();
  if (command.options.signal === "live") {
    const controller = new AbortController();
    live.set(command.id, controller);
    options.signal = controller.signal;
  }
  if (command.options.timeoutMs !== undefined) options.timeoutMs = command.options.timeoutMs;
  try {
    return { id: command.id, ok: true, response: await invoke(client, command, options) };
  } catch (error) {
    if (isApiError(error)) return { id: command.id, ok: false, apiError: error.toJSON() };
    return {
      id: command.id,
      ok: false,
      thrown: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

/** The call itself, its answer encoded as proto3 JSON. */
async function invoke(client: JobRunsClient, command: CallCommand, options: CallOptions): Promise<unknown> {
  const request = command.request as never;
  switch (command.method) {
    case "getJobRun":
      return encodeJson(JobRunSchema, await client.getJobRun(request, options));
    case "listJobRuns":
      return encodeJson(ListJobRunsResponseSchema, await client.listJobRuns(request, options));
    case "terminateJobRun":
      return encodeJson(TerminateJobRunResponseSchema, await client.terminateJobRun(request, options));
  }
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}
