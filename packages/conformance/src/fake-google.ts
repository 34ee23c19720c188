// A fake of Google's Cloud Deploy REST surface serving the corpus: as a fetch handler, to be served on
// loopback. It answers the way Google does where a proxy in front of it could get it wrong: enums as
// names or (with `$alt=json;enum-encoding=int`) numbers, newer fields and values as they are,
// indented JSON unless `prettyPrint=false`, partial responses for `fields`, binary for `alt=proto`,
// and errors with details of its own. It records every request it gets.

import { fromJson, type JsonValue, toBinary } from "@bufbuild/protobuf";
import { JobRunSchema } from "@jobrun/core";
import { parseFieldSelection, readSystemParameters, selectFields } from "@jobrun/core/server";
import {
  CORPUS_PARENT,
  corpusErrors,
  corpusRunIds,
  corpusRuns,
  type GoogleJson,
  withEnumNumbers,
} from "./google-corpus.js";

/** One request the fake got. */
export interface FakeGoogleRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string;
}

export interface FakeGoogle {
  /** The handler: serve it with any fetch-handler server. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Every request so far, oldest first. */
  readonly requests: FakeGoogleRequest[];
}

/** Runs that terminate: IN_PROGRESS ones. Terminating `deploy` is refused, and `verify` is denied. */
const TERMINABLE = new Set(["postdeploy"]);

/** Creates a fake Google serving the corpus. */
export function createFakeGoogle(): FakeGoogle {
  const requests: FakeGoogleRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({ method: request.method, url, headers: request.headers, body: await request.text() });
    const system = readSystemParameters(url.searchParams);
    const path = decodeURIComponent(url.pathname);
    const send = (status: number, value: GoogleJson) => {
      let body = value as JsonValue;
      if (status === 200 && system.fields !== undefined) {
        body = selectFields(body, parseFieldSelection(system.fields.text).root);
      }
      return new Response(JSON.stringify(body, null, system.prettyPrint ? 2 : undefined), {
        status,
        headers: { "content-type": "application/json; charset=UTF-8" },
      });
    };
    const encoded = (run: GoogleJson) => (system.enumEncoding === "int" ? withEnumNumbers(run) : run);
    if (request.method === "GET" && path === `/v1/${CORPUS_PARENT}/jobRuns`) {
      const size = Number(url.searchParams.get("pageSize") ?? "50") || 50;
      const start = Number(url.searchParams.get("pageToken") ?? "0") || 0;
      const ids = corpusRunIds.slice(start, start + size);
      const next = start + size < corpusRunIds.length ? String(start + size) : undefined;
      return send(200, {
        jobRuns: ids.map((id) => encoded(corpusRuns[id] as GoogleJson)),
        ...(next === undefined ? {} : { nextPageToken: next }),
      });
    }
    const match = /^\/v1\/(.+\/jobRuns\/([^/:]+))(:terminate)?$/.exec(path);
    if (match === null) return send(404, corpusErrors.notFound(path));
    const [, name = "", id = "", terminate] = match;
    const run = name.startsWith(`${CORPUS_PARENT}/`) ? corpusRuns[id] : undefined;
    if (run === undefined) return send(404, corpusErrors.notFound(name));
    if (terminate !== undefined && request.method === "POST") {
      if (TERMINABLE.has(id)) return send(200, {});
      return send(
        id === "verify" ? 403 : 400,
        id === "verify" ? corpusErrors.permissionDenied(name) : corpusErrors.notTerminable(name),
      );
    }
    if (request.method !== "GET") return send(404, corpusErrors.notFound(path));
    if (system.alt === "proto") {
      // Google's binary form carries the newer fields under numbers no published proto has; this fake
      // can only encode what the schema knows. What matters to a proxy is that the bytes pass as sent.
      const message = fromJson(JobRunSchema, run as JsonValue, { ignoreUnknownFields: true });
      return new Response(toBinary(JobRunSchema, message), {
        status: 200,
        headers: { "content-type": "application/x-protobuf" },
      });
    }
    return send(200, encoded(run));
  };
  return { fetch, requests };
}
