// What the test (on Node) and the driver (inside Deno, Bun or a browser page) say to each other
// through the bridge. Everything is JSON: messages travel as proto3 JSON, errors as the REST error
// body, call options as what can cross a process (a signal's state, a deadline).

import type { ApiErrorJson } from "@jobrun/core";

export type MethodName = "getJobRun" | "listJobRuns" | "terminateJobRun";

/** What the driver says first: which runtime it is in. */
export interface Hello {
  readonly userAgent: string;
}

/** What the driver is told to build its client with. */
export interface DriverConfig {
  /** The proxy's URL. */
  readonly endpoint: string;
  /** An API key of the proxy. */
  readonly token: string;
}

/** A call's options as they cross: `signal` "aborted" (before the call) or "live" (may abort later). */
export interface WireCallOptions {
  readonly signal?: "aborted" | "live";
  readonly timeoutMs?: number;
}

export interface CallCommand {
  readonly kind: "call";
  readonly id: number;
  readonly method: MethodName;
  /** The request as a plain object (`{ name }`, `{ parent, pageSize, … }`). */
  readonly request: Record<string, unknown>;
  readonly options: WireCallOptions;
}

/** The caller's live signal aborted: abort the call's signal in the runtime too. */
export interface CancelCommand {
  readonly kind: "cancel";
  readonly id: number;
}

/** What `GET /next` answers: a command, "idle" (poll again) or "exit" (the test is done). */
export type NextMessage = CallCommand | CancelCommand | { readonly kind: "idle" } | { readonly kind: "exit" };

export type CallResult =
  | { readonly id: number; readonly ok: true; readonly response: unknown }
  /** The call rejected with an ApiError, as its REST body (whose `code` is the HTTP status). */
  | { readonly id: number; readonly ok: false; readonly apiError: ApiErrorJson }
  /** The call rejected with anything else: a bug, said as text. */
  | { readonly id: number; readonly ok: false; readonly thrown: string };
