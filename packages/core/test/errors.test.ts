import { describe, expect, it } from "vitest";
import {
  ApiError,
  badRequest,
  Code,
  codeFromHttpStatus,
  codeName,
  httpStatusFromCode,
  isApiError,
  isCodeName,
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
    ]);
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
