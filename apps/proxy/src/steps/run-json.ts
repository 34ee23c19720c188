// JSON text of job runs, memoized per snapshot. An in-memory backend (the emulator) hands out frozen
// snapshots: a run that has not changed is the same object on every read, so its JSON text (per enum
// encoding and indentation) is computed once and reused by every GET and every list page it is on.
// Turning a run into proto3 JSON through protobuf-es's reflection was most of a list page's time.

import {
  type EnumEncoding,
  encodeJson,
  type JobRun,
  JobRunSchema,
  type ListJobRunsResponse,
  ListJobRunsResponseSchema,
} from "@jobrun/core";

/** How JSON text is laid out: compact, indented at the top, or indented as an element of a page. */
type Layout = "compact" | "pretty" | "in-page";

/** A run's JSON text as JSON.stringify would lay it out at the top level or inside a page. */
function runText(run: JobRun, enumEncoding: EnumEncoding, layout: Layout): string {
  const json = encodeJson(JobRunSchema, run, { enumEncoding });
  if (layout === "compact") return JSON.stringify(json);
  const text = JSON.stringify(json, null, 2);
  // An element of `jobRuns` sits two levels deep: every line after its first is indented 4 more.
  // (JSON.stringify escapes line breaks inside strings, so every "\n" here is one of its own.)
  return layout === "pretty" ? text : text.replaceAll("\n", "\n    ");
}

/**
 * Whether the page has exactly the fields `page()` writes, in the order protobuf-es writes them. A
 * schema that grew a field falls back to the ordinary encoding instead of silently dropping it.
 */
const PAGE_SHAPE_KNOWN =
  ListJobRunsResponseSchema.fields.map((field) => field.localName).join(",") ===
  "jobRuns,nextPageToken,unreachable";

/**
 * JSON text of runs and pages of runs, as `JSON.stringify(encodeJson(...), null, pretty ? 2 : undefined)`
 * would write it, byte for byte, with each frozen run snapshot encoded once per layout and enum
 * encoding. Held weakly: an entry goes when the backend lets go of the snapshot.
 */
export class RunJsonMemo {
  readonly #bySnapshot = new WeakMap<JobRun, Map<string, string>>();
  /** The last page written per first run and layout: read again unchanged, its bytes are reused. */
  readonly #pages = new WeakMap<JobRun, Map<string, WrittenPage>>();

  /** A run's JSON text. */
  run(run: JobRun, enumEncoding: EnumEncoding, pretty: boolean): string {
    return this.#text(run, enumEncoding, pretty ? "pretty" : "compact");
  }

  /**
   * A page's JSON as UTF-8 bytes, or undefined when this memo cannot write it (a page with no runs,
   * or a response schema with fields it does not know): then encode it the ordinary way. A page of
   * the same run snapshots and token as the last one written for its first run is not written
   * again: its bytes are returned as they were (they must not be changed).
   */
  page(
    page: ListJobRunsResponse,
    enumEncoding: EnumEncoding,
    pretty: boolean,
  ): Uint8Array<ArrayBuffer> | undefined {
    if (!PAGE_SHAPE_KNOWN || page.jobRuns.length === 0) return undefined;
    const first = page.jobRuns[0] as JobRun;
    const key = `${enumEncoding} ${pretty}`;
    const last = Object.isFrozen(first) ? this.#pages.get(first)?.get(key) : undefined;
    // The same answer object (the emulator hands out one frozen answer per query until a run
    // changes) needs no comparison run by run.
    if (last !== undefined && ((last.page === page && Object.isFrozen(page)) || samePage(last.page, page)))
      return last.bytes;
    const bytes = utf8.encode(this.#pageText(page, enumEncoding, pretty));
    if (Object.isFrozen(first)) {
      let pages = this.#pages.get(first);
      if (pages === undefined) {
        pages = new Map();
        this.#pages.set(first, pages);
      }
      pages.set(key, { page, bytes });
    }
    return bytes;
  }

  #pageText(page: ListJobRunsResponse, enumEncoding: EnumEncoding, pretty: boolean): string {
    const layout = pretty ? "in-page" : "compact";
    const runs = page.jobRuns.map((run) => this.#text(run, enumEncoding, layout));
    // The rest of the page (proto3 JSON leaves out an empty token and an empty list) is small.
    const rest: Record<string, unknown> = {};
    if (page.nextPageToken !== "") rest.nextPageToken = page.nextPageToken;
    if (page.unreachable.length > 0) rest.unreachable = page.unreachable;
    if (!pretty) {
      const tail = JSON.stringify(rest);
      return `{"jobRuns":[${runs.join(",")}]${tail === "{}" ? "}" : `,${tail.slice(1)}`}`;
    }
    const tail = JSON.stringify(rest, null, 2);
    return `{\n  "jobRuns": [\n    ${runs.join(",\n    ")}\n  ]${tail === "{}" ? "\n}" : `,${tail.slice(1)}`}`;
  }

  #text(run: JobRun, enumEncoding: EnumEncoding, layout: Layout): string {
    if (!Object.isFrozen(run)) return runText(run, enumEncoding, layout);
    let texts = this.#bySnapshot.get(run);
    if (texts === undefined) {
      texts = new Map();
      this.#bySnapshot.set(run, texts);
    }
    const key = enumEncoding === "int" ? `int ${layout}` : layout;
    let text = texts.get(key);
    if (text === undefined) {
      text = runText(run, enumEncoding, layout);
      texts.set(key, text);
    }
    return text;
  }
}

const utf8 = new TextEncoder();

interface WrittenPage {
  readonly page: ListJobRunsResponse;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Whether two pages hold the same frozen run snapshots, token and unreachable locations. */
function samePage(a: ListJobRunsResponse, b: ListJobRunsResponse): boolean {
  if (a.jobRuns.length !== b.jobRuns.length || a.nextPageToken !== b.nextPageToken) return false;
  if (a.unreachable.length !== b.unreachable.length) return false;
  for (let i = 0; i < a.jobRuns.length; i += 1) {
    const run = a.jobRuns[i] as JobRun;
    if (run !== b.jobRuns[i] || !Object.isFrozen(run)) return false;
  }
  return a.unreachable.every((location, i) => location === b.unreachable[i]);
}
