// The REST surface's conformance over HTTP: what a caller of Google's endpoint sees on the wire, not
// only the decoded code an implementation of JobRunService rejects with. Status lines, content types,
// body shapes, error details (ErrorInfo on every error, BadRequest field violations, RetryInfo),
// Google's system parameters (`fields`, `prettyPrint`, `$alt`, `alt=proto`, `$.xgafv`, `quotaUser`)
// and the refusals of parameters that would put credentials into URLs. Run against every server that
// claims to be Cloud Deploy's REST surface: the proxy over the emulator, the proxy over (a fake) Google.

import { fromBinary } from "@bufbuild/protobuf";
import { ERROR_INFO_TYPE, type ErrorDetail, JobRun_State, JobRunSchema } from "@jobrun/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConformanceFixture, conformanceFixture, rollouts } from "./fixture.js";

/** A server under test, loaded with the fixture it was handed. */
export interface WireHarness {
  /** Its origin, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** Headers every request carries (the caller's credential). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The ErrorInfo domain of the refusals the server in front decides itself (credentials in URLs). */
  readonly ownDomain: string;
  close(): Promise<void>;
}

export type WireSetup = (fixture: ConformanceFixture) => Promise<WireHarness>;

interface StatusBody {
  readonly error: {
    readonly code: number;
    readonly message: string;
    readonly status: string;
    readonly details?: readonly ErrorDetail[];
  };
}

/** Registers the wire suite for one server. */
export function describeRestWireConformance(label: string, setup: WireSetup): void {
  describe(`REST wire conformance: ${label}`, () => {
    const fixture = conformanceFixture();
    let harness: WireHarness | undefined;
    beforeAll(async () => {
      harness = await setup(conformanceFixture());
    });
    afterAll(async () => {
      await harness?.close();
    });

    const call = async (path: string, init: RequestInit = {}) => {
      if (harness === undefined) throw new Error("the wire harness did not start");
      const response = await fetch(`${harness.url}${path}`, {
        ...init,
        headers: { ...harness.headers, ...(init.headers as Record<string, string> | undefined) },
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        headers: response.headers,
        bytes,
        text: new TextDecoder().decode(bytes),
      };
    };
    const statusOf = (text: string): StatusBody["error"] => {
      const body = JSON.parse(text) as StatusBody;
      expect(Object.keys(body)).toEqual(["error"]);
      return body.error;
    };
    const detail = (error: StatusBody["error"], type: string) =>
      error.details?.find((d) => d["@type"] === `type.googleapis.com/google.rpc.${type}`);
    /** Every error: the google.rpc.Status shape, code = HTTP status, and an ErrorInfo (AIP-193). */
    const expectStatus = (
      response: { status: number; text: string; headers: Headers },
      status: number,
      code: string,
    ) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const error = statusOf(response.text);
      expect(error.code).toBe(status);
      expect(error.status).toBe(code);
      expect(typeof error.message).toBe("string");
      const info = error.details?.find((d) => d["@type"] === ERROR_INFO_TYPE);
      expect(info, `an ErrorInfo in ${response.text}`).toBeDefined();
      expect(info?.reason).toMatch(/^[A-Z][A-Z0-9_]+[A-Z0-9]$/);
      expect(typeof info?.domain).toBe("string");
      return {
        error,
        info: info as ErrorDetail & { reason: string; domain: string; metadata?: Record<string, string> },
      };
    };

    const finished = fixture.jobRuns.find(
      (r) => r.state === "SUCCEEDED" && r.name!.startsWith(`${rollouts.webRel1}/`),
    )!;
    const missing = `${rollouts.webRel1}/jobRuns/00000000-0000-4000-8000-ffffffffffff`;

    describe("answers", () => {
      it("gets a run as indented JSON by default (Google's prettyPrint=true), every field as stored", async () => {
        const response = await call(`/v1/${finished.name}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        expect(response.text).toMatch(/^\{\n {2}"name": /);
        expect(JSON.parse(response.text)).toEqual(finished);
      });

      it("gets compact JSON with prettyPrint=false", async () => {
        const response = await call(`/v1/${finished.name}?prettyPrint=false`);
        expect(response.text).not.toContain("\n");
        expect(JSON.parse(response.text)).toEqual(finished);
      });

      it("gets enums as numbers with $alt=json;enum-encoding=int", async () => {
        const response = await call(`/v1/${finished.name}?%24alt=json%3Benum-encoding%3Dint`);
        expect(JSON.parse(response.text).state).toBe(JobRun_State.SUCCEEDED);
      });

      it("gets a partial response for fields (nested paths and * too)", async () => {
        const response = await call(
          `/v1/${finished.name}?fields=name,state,${Object.keys(finished).find((k) => k.endsWith("JobRun"))}/build`,
        );
        expect(response.status).toBe(200);
        const body = JSON.parse(response.text) as Record<string, unknown>;
        expect(body.name).toBe(finished.name);
        expect(body.state).toBe("SUCCEEDED");
        expect(Object.keys(body).every((k) => k === "name" || k === "state" || k.endsWith("JobRun"))).toBe(
          true,
        );
        expect(JSON.parse((await call(`/v1/${finished.name}?%24fields=*`)).text)).toEqual(finished);
      });

      it("lists with fields=jobRuns(name,state),nextPageToken", async () => {
        const response = await call(
          `/v1/${rollouts.webRel1}/jobRuns?pageSize=3&fields=jobRuns(name,state),nextPageToken`,
        );
        expect(response.status).toBe(200);
        const body = JSON.parse(response.text) as {
          jobRuns: Record<string, unknown>[];
          nextPageToken: string;
        };
        expect(body.jobRuns).toHaveLength(3);
        for (const run of body.jobRuns) expect(Object.keys(run).sort()).toEqual(["name", "state"]);
        expect(body.nextPageToken).toEqual(expect.any(String));
      });

      it("gets the binary protobuf with alt=proto", async () => {
        const response = await call(`/v1/${finished.name}?alt=proto`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^application\/x-protobuf/);
        const run = fromBinary(JobRunSchema, response.bytes);
        expect(run.name).toBe(finished.name);
        expect(run.state).toBe(JobRun_State.SUCCEEDED);
      });

      it("accepts quotaUser, $.xgafv 1 and 2, and upload parameters that change nothing", async () => {
        for (const query of [
          "quotaUser=alice",
          "%24.xgafv=1",
          "%24.xgafv=2",
          "uploadType=media&upload_protocol=raw",
        ]) {
          const response = await call(`/v1/${finished.name}?${query}`);
          expect(response.status, query).toBe(200);
        }
      });

      it("terminates with {} and lists an empty rollout as {}", async () => {
        const running = fixture.jobRuns.find((r) => r.name!.startsWith(`${rollouts.terminate}/`))!;
        const terminated = await call(`/v1/${running.name}:terminate?prettyPrint=false`, {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        });
        expect(terminated.status).toBe(200);
        expect(terminated.text).toBe("{}");
        const empty = await call(`/v1/${rollouts.empty}/jobRuns?prettyPrint=false`);
        expect(empty.text).toBe("{}");
      });

      it("gives a finished run a strong ETag and answers If-None-Match with 304", async () => {
        const first = await call(`/v1/${finished.name}`);
        const etag = first.headers.get("etag");
        expect(etag).toMatch(/^"[^"]+"$/);
        const again = await call(`/v1/${finished.name}`, { headers: { "if-none-match": etag! } });
        expect(again.status).toBe(304);
        expect(again.text).toBe("");
      });
    });

    describe("errors", () => {
      it("NOT_FOUND: 404 with an ErrorInfo naming the resource", async () => {
        const { error } = expectStatus(await call(`/v1/${missing}`), 404, "NOT_FOUND");
        expect(error.message).toContain(missing);
      });

      it("a malformed name: 400 INVALID_ARGUMENT with a BadRequest field violation", async () => {
        const { error } = expectStatus(
          await call(`/v1/${rollouts.webRel1}/jobRuns/a%20b`),
          400,
          "INVALID_ARGUMENT",
        );
        expect(detail(error, "BadRequest")).toMatchObject({ fieldViolations: [{ field: "name" }] });
      });

      it("a bad filter: 400 with a field violation on filter", async () => {
        const { error } = expectStatus(
          await call(`/v1/${rollouts.webRel1}/jobRuns?filter=${encodeURIComponent('status="FAILED"')}`),
          400,
          "INVALID_ARGUMENT",
        );
        expect(detail(error, "BadRequest")).toMatchObject({ fieldViolations: [{ field: "filter" }] });
      });

      it("terminating a finished run: 400 FAILED_PRECONDITION naming the state", async () => {
        const { error } = expectStatus(
          await call(`/v1/${finished.name}:terminate`, {
            method: "POST",
            body: "{}",
            headers: { "content-type": "application/json" },
          }),
          400,
          "FAILED_PRECONDITION",
        );
        expect(error.message).toContain("SUCCEEDED");
      });

      it("$.xgafv=1 adds Google's legacy errors array; 2 (the default) does not", async () => {
        const v1 = expectStatus(await call(`/v1/${missing}?%24.xgafv=1`), 404, "NOT_FOUND")
          .error as StatusBody["error"] & {
          errors?: unknown;
        };
        expect(v1.errors).toEqual([{ message: v1.message, domain: "global", reason: "notFound" }]);
        const v2 = expectStatus(await call(`/v1/${missing}?%24.xgafv=2`), 404, "NOT_FOUND").error;
        expect("errors" in v2).toBe(false);
      });

      it("an error raised before the method is known still takes prettyPrint and $.xgafv", async () => {
        const compact = await call("/v1/no/such/path?prettyPrint=false&%24.xgafv=1");
        const { error } = expectStatus(compact, 404, "NOT_FOUND");
        expect(compact.text).not.toContain("\n");
        expect((error as { errors?: unknown }).errors).toEqual([
          { message: error.message, domain: "global", reason: "notFound" },
        ]);
        const indented = await call("/v1/no/such/path");
        expectStatus(indented, 404, "NOT_FOUND");
        expect(indented.text).toMatch(/^\{\n {2}"error": /);
      });

      it("an unknown query parameter: 400 naming it, with a field violation", async () => {
        const { error } = expectStatus(
          await call(`/v1/${finished.name}?colour=red`),
          400,
          "INVALID_ARGUMENT",
        );
        expect(error.message).toContain("colour");
        expect(detail(error, "BadRequest")).toMatchObject({ fieldViolations: [{ field: "colour" }] });
      });

      it.each([
        ["fields=name,,state", "fields"],
        ["fields=status", "status"],
        ["prettyPrint=maybe", "prettyPrint"],
        ["%24.xgafv=3", "$.xgafv"],
      ])("a bad system parameter (%s): 400 naming it", async (query, fragment) => {
        const { error } = expectStatus(await call(`/v1/${finished.name}?${query}`), 400, "INVALID_ARGUMENT");
        expect(error.message).toContain(fragment);
      });

      it.each([
        ["key=AIzaSyFAKE", "key"],
        ["access_token=ya29.FAKE", "access_token"],
        ["oauth_token=ya29.FAKE", "oauth_token"],
      ])("a credential in the query (%s): 400 saying to send it in a header", async (query, name) => {
        const response = await call(`/v1/${finished.name}?${query}`);
        const { error, info } = expectStatus(response, 400, "INVALID_ARGUMENT");
        expect(error.message).toContain(name);
        expect(error.message).toMatch(/header/i);
        expect(response.text).not.toContain("FAKE");
        expect(info.domain).toBe(harness?.ownDomain);
      });

      it.each([
        ["callback=cb", "callback"],
        ["alt=media", "media"],
      ])("an unsupported system parameter (%s): 400 naming it", async (query, fragment) => {
        const { error } = expectStatus(await call(`/v1/${finished.name}?${query}`), 400, "INVALID_ARGUMENT");
        expect(error.message).toContain(fragment);
      });

      it("an unknown path: 404 with an ErrorInfo; a wrong method: 405 with Allow", async () => {
        expectStatus(await call("/v1/projects/p/things"), 404, "NOT_FOUND");
        const wrong = await call(`/v1/${finished.name}`, { method: "DELETE" });
        expect(wrong.status).toBe(405);
        expect(wrong.headers.get("allow")).toContain("GET");
        expect(statusOf(wrong.text).details?.some((d) => d["@type"] === ERROR_INFO_TYPE)).toBe(true);
      });
    });
  });
}
