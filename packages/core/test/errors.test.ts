import { describe, expect, it } from "vitest";
import {
  ApiError,
  badRequest,
  Code,
  codeFromHttpStatus,
  codeName,
  errorInfo,
  httpStatusFromCode,
  isApiError,
  isCodeName,
  RETRY_INFO_TYPE,
  resourceInfo,
  retryInfo,
} from "../src/index.js";

describe("google.rpc codes and the AIP-193 HTTP mapping", () => {
  const table: [keyof typeof Code, number, number][] = [
    ["OK", 0, 200],
    ["CANCELLED", 1, 499],
    ["UNKNOWN", 2, 500],
    ["INVALID_ARGUMENT", 3, 400],
    ["DEADLINE_EXCEEDED", 4, 504],
    ["NOT_FOUND", 5, 404],
    ["ALREADY_EXISTS", 6, 409],
    ["PERMISSION_DENIED", 7, 403],
    ["RESOURCE_EXHAUSTED", 8, 429],
    ["FAILED_PRECONDITION", 9, 400],
    ["ABORTED", 10, 409],
    ["OUT_OF_RANGE", 11, 400],
    ["UNIMPLEMENTED", 12, 501],
    ["INTERNAL", 13, 500],
    ["UNAVAILABLE", 14, 503],
    ["DATA_LOSS", 15, 500],
    ["UNAUTHENTICATED", 16, 401],
  ];
  for (const [name, number, status] of table) {
    it(`${name} is ${number} and HTTP ${status}`, () => {
      expect(Code[name]).toBe(number);
      expect(codeName(number)).toBe(name);
      expect(httpStatusFromCode(name)).toBe(status);
    });
  }

  it("maps bare HTTP statuses back to the most likely code", () => {
    expect(codeFromHttpStatus(404)).toBe("NOT_FOUND");
    expect(codeFromHttpStatus(429)).toBe("RESOURCE_EXHAUSTED");
    expect(codeFromHttpStatus(502)).toBe("UNAVAILABLE");
    expect(codeFromHttpStatus(503)).toBe("UNAVAILABLE");
    expect(codeFromHttpStatus(504)).toBe("DEADLINE_EXCEEDED");
    expect(codeFromHttpStatus(401)).toBe("UNAUTHENTICATED");
    expect(codeFromHttpStatus(418)).toBe("FAILED_PRECONDITION");
    expect(codeFromHttpStatus(500)).toBe("INTERNAL");
    expect(codeName(99)).toBeUndefined();
    expect(isCodeName("NOT_FOUND")).toBe(true);
    expect(isCodeName("toString")).toBe(false);
  });
});

describe("ApiError on the wire", () => {
  it("produces Google's error body, with the HTTP status as code", () => {
    const error = new ApiError("NOT_FOUND", "JobRun x not found", {
      details: [badRequest("name", "no such run")],
    });
    expect(error.httpStatus).toBe(404);
    expect(error.codeNumber).toBe(5);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      error: {
        code: 404,
        message: "JobRun x not found",
        status: "NOT_FOUND",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            fieldViolations: [{ field: "name", description: "no such run" }],
          },
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "NOT_FOUND",
            domain: "clouddeploy.googleapis.com",
            metadata: {},
          },
        ],
      },
    });
  });

  it("parses it back", () => {
    const wire = new ApiError("FAILED_PRECONDITION", "JobRun is SUCCEEDED", {
      details: [retryInfo(1500)],
    }).toJSON();
    const back = ApiError.fromJson(wire, 400);
    expect(back.code).toBe("FAILED_PRECONDITION");
    expect(back.message).toBe("JobRun is SUCCEEDED");
    expect(back.details).toEqual([
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" },
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "FAILED_PRECONDITION",
        domain: "clouddeploy.googleapis.com",
        metadata: {},
      },
    ]);
    expect(back.reason).toBe("FAILED_PRECONDITION");
    expect(isApiError(back)).toBe(true);
  });

  it("keeps an explicit HTTP status (413 for a body too large)", () => {
    const error = new ApiError("INVALID_ARGUMENT", "body too large", { httpStatus: 413 });
    expect(error.toJSON().error.code).toBe(413);
  });

  it("turns bodies that are not a Status into an error that says so", () => {
    expect(ApiError.fromResponseText("", 503).message).toMatch(/empty body/);
    expect(ApiError.fromResponseText("", 503).code).toBe("UNAVAILABLE");
    const html = ApiError.fromResponseText("<html>Bad Gateway</html>", 502);
    expect(html.code).toBe("UNAVAILABLE");
    expect(html.message).toMatch(/not JSON/);
    expect(ApiError.fromResponseText('{"error": "nope"}', 403).code).toBe("PERMISSION_DENIED");
    expect(ApiError.fromResponseText('{"error": {"message": "x", "status": "BOGUS"}}', 404).code).toBe(
      "NOT_FOUND",
    );
    expect(
      ApiError.fromResponseText(
        '{"error":{"code":400,"message":"m","status":"INVALID_ARGUMENT","details":[1,{"@type":"t"}]}}',
        400,
      ).details,
    ).toEqual([{ "@type": "t" }]);
  });
});

describe("ErrorInfo on every error (AIP-193)", () => {
  it("gives every error an ErrorInfo: the code as reason and the service's domain by default", () => {
    const error = new ApiError("INTERNAL", "oops");
    expect(error.reason).toBe("INTERNAL");
    expect(error.domain).toBe("clouddeploy.googleapis.com");
    expect(error.errorInfoMetadata).toEqual({});
    expect(error.toJSON().error.details).toEqual([errorInfo("INTERNAL")]);
  });

  it("takes a reason, a domain and metadata, and names the resource of a ResourceInfo", () => {
    const name = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/j";
    const error = new ApiError("PERMISSION_DENIED", "no", {
      reason: "RESOURCE_OUT_OF_SCOPE",
      domain: "jobrun-proxy",
      metadata: { method: "GetJobRun" },
      details: [resourceInfo(name)],
    });
    expect(error.reason).toBe("RESOURCE_OUT_OF_SCOPE");
    expect(error.domain).toBe("jobrun-proxy");
    expect(error.errorInfoMetadata).toEqual({ resource: name, method: "GetJobRun" });
    expect(error.details[0]).toEqual(resourceInfo(name));
  });

  it("keeps an ErrorInfo given in the details, and adds no second one", () => {
    const info = errorInfo("SERVICE_DISABLED", { service: "clouddeploy.googleapis.com" }, "googleapis.com");
    const error = new ApiError("PERMISSION_DENIED", "disabled", { details: [info], reason: "IGNORED" });
    expect(error.details).toEqual([info]);
    expect(error.domain).toBe("googleapis.com");
  });

  it("adds a RetryInfo to 429 and 503 unless one is given", () => {
    expect(new ApiError("UNAVAILABLE", "down").details).toContainEqual(retryInfo(1000));
    expect(new ApiError("RESOURCE_EXHAUSTED", "slow down", { retryDelayMs: 7000 }).details).toContainEqual(
      retryInfo(7000),
    );
    const given = new ApiError("RESOURCE_EXHAUSTED", "x", { details: [retryInfo(2500)] });
    expect(given.details.filter((d) => d["@type"] === RETRY_INFO_TYPE)).toEqual([retryInfo(2500)]);
    expect(new ApiError("NOT_FOUND", "x").details.some((d) => d["@type"] === RETRY_INFO_TYPE)).toBe(false);
  });

  it("adds nothing to an error read from the wire: its details are the sender's", () => {
    const wire = { error: { code: 404, message: "gone", status: "NOT_FOUND" } };
    const error = ApiError.fromJson(wire, 404);
    expect(error.details).toEqual([]);
    expect(error.reason).toBeUndefined();
    expect(ApiError.fromResponseText("", 503).details).toEqual([]);
    expect(ApiError.fromResponseText("<html>", 502).details).toEqual([]);
  });

  it("refuses a reason that is not UPPER_SNAKE_CASE", () => {
    for (const reason of ["notFound", "NOT-FOUND", "_X", "X_", "A".repeat(64)]) {
      expect(() => errorInfo(reason)).toThrow(/UPPER_SNAKE_CASE/);
    }
    expect(() => new ApiError("INTERNAL", "x", { reason: "lower" })).toThrow(/UPPER_SNAKE_CASE/);
  });
});
