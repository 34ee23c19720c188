import { describe, expect, it } from "vitest";
import {
  ApiError,
  deployPolicyName,
  isJobRunInParent,
  isJobRunName,
  isRolloutName,
  jobRunName,
  parseBuildName,
  parseDeployPolicyName,
  parseJobRunName,
  parseRolloutName,
  rolloutName,
  rolloutOfJobRun,
} from "../src/index.js";
import { segmentProblem } from "../src/names/segment.js";

const parts = {
  project: "acme-prod",
  location: "us-central1",
  deliveryPipeline: "web-frontend",
  release: "rel-042",
  rollout: "rel-042-to-prod-0001",
  jobRun: "5b0a0d4e-3f1c-4a43-9d55-0c2b7a7f3e11",
};
const name =
  "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/rel-042/rollouts/rel-042-to-prod-0001/jobRuns/5b0a0d4e-3f1c-4a43-9d55-0c2b7a7f3e11";

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("INVALID_ARGUMENT");
    return error as ApiError;
  }
  throw new Error("expected the name to be refused");
}

describe("JobRun names", () => {
  it("formats and parses back", () => {
    expect(jobRunName(parts)).toBe(name);
    expect(parseJobRunName(name)).toEqual(parts);
    expect(isJobRunName(name)).toBe(true);
  });

  it("accepts domain-scoped projects and the characters IDs use", () => {
    const scoped = { ...parts, project: "example.com:web-42", jobRun: "run_1.a~b" };
    expect(parseJobRunName(jobRunName(scoped))).toEqual(scoped);
  });

  it("gives the Rollout a run belongs to", () => {
    expect(rolloutName(rolloutOfJobRun(parts))).toBe(name.slice(0, name.indexOf("/jobRuns/")));
  });

  const hostile: [string, string, RegExp][] = [
    ["an empty segment", name.replace("/releases/rel-042/", "/releases//"), /release segment is empty/],
    [
      "a dot-dot segment",
      name.replace("rel-042/rollouts", "../rollouts"),
      /release segment is a dot segment/,
    ],
    ["a single dot", name.replace("us-central1", "."), /location segment is a dot segment/],
    [
      "dots inside",
      name.replace("web-frontend", "web..frontend"),
      /deliveryPipeline segment contains "\.\."/,
    ],
    [
      "an encoded slash",
      name.replace("web-frontend", "web%2Ffrontend"),
      /deliveryPipeline segment contains "%"/,
    ],
    ["a NUL", name.replace("rel-042-to", "rel\u0000to"), /rollout segment contains a NUL character/],
    [
      "a control character",
      name.replace("acme-prod", "acme\u001bprod"),
      /project segment contains the control character U\+001B/,
    ],
    ["DEL", name.replace("acme-prod", "acme\u007fprod"), /control character U\+007F/],
    [
      "non-ASCII",
      name.replace("web-frontend", "wéb"),
      /deliveryPipeline segment contains the non-ASCII character U\+00E9/,
    ],
    ["an emoji", name.replace("rel-042-to-prod-0001", "🚀"), /non-ASCII character U\+1F680/],
    [
      "a 10 KB id",
      name.replace("5b0a0d4e-3f1c-4a43-9d55-0c2b7a7f3e11", "a".repeat(10_240)),
      /jobRun segment is 10240 characters long; the limit is 63/,
    ],
    ["a space", name.replace("rel-042-to", "rel 042"), /rollout segment contains " "/],
    ["a query character", name.replace("5b0a0d4e", "x?y"), /jobRun segment contains "\?"/],
    ["a colon outside the project", name.replace("5b0a0d4e", "x:terminate"), /jobRun segment contains ":"/],
    [
      "a wildcard",
      name.replace("rel-042-to-prod-0001", "-"),
      /rollout segment is the wildcard "-", which only a List request's parent may use/,
    ],
    [
      "a wrong collection",
      name.replace("releases", "release"),
      /segment 7 is "release"; expected "releases"/,
    ],
    ["too few segments", name.slice(0, name.indexOf("/jobRuns/")), /has 10 segments; expected 12/],
    ["a trailing slash", `${name}/`, /has 13 segments/],
    ["the empty string", "", /it is empty/],
  ];
  for (const [what, bad, reason] of hostile) {
    it(`refuses ${what}, saying which segment and why`, () => {
      const error = refusal(() => parseJobRunName(bad));
      expect(error.message).toMatch(reason);
      expect(error.details[0]).toMatchObject({ "@type": "type.googleapis.com/google.rpc.BadRequest" });
      expect(isJobRunName(bad)).toBe(false);
    });
  }

  it("keeps the message short for a huge name", () => {
    const error = refusal(() => parseJobRunName(`projects/${"x".repeat(100_000)}`));
    expect(error.message.length).toBeLessThan(400);
  });

  it("builders check each part too", () => {
    expect(refusal(() => jobRunName({ ...parts, release: "a/b" })).message).toMatch(
      /release segment contains "\/"/,
    );
    expect(refusal(() => jobRunName({ ...parts, jobRun: "" })).message).toMatch(/jobRun segment is empty/);
  });

  it("names the request field in the violation", () => {
    const error = refusal(() => parseJobRunName("nope", { field: "name" }));
    expect(error.details[0]).toMatchObject({ fieldViolations: [{ field: "name" }] });
  });
});

describe("Rollout names and List parents", () => {
  const parent = name.slice(0, name.indexOf("/jobRuns/"));

  it("parses a concrete parent", () => {
    const { jobRun: _, ...rollout } = parts;
    expect(parseRolloutName(parent)).toEqual(rollout);
    expect(isRolloutName(parent)).toBe(true);
  });

  it("allows - in location, pipeline, release and rollout only when asked (List)", () => {
    const wild = "projects/acme-prod/locations/-/deliveryPipelines/-/releases/-/rollouts/-";
    expect(parseRolloutName(wild, { wildcards: true })).toMatchObject({ location: "-", rollout: "-" });
    expect(isRolloutName(wild)).toBe(false);
    expect(refusal(() => parseRolloutName(wild)).message).toMatch(/location segment is the wildcard/);
  });

  it("never allows a wildcard project", () => {
    const error = refusal(() =>
      parseRolloutName("projects/-/locations/-/deliveryPipelines/-/releases/-/rollouts/-", {
        wildcards: true,
      }),
    );
    expect(error.message).toMatch(/project segment is the wildcard/);
  });

  it("matches runs against wildcard parents", () => {
    const wildRelease = parseRolloutName(
      "projects/acme-prod/locations/us-central1/deliveryPipelines/web-frontend/releases/-/rollouts/-",
      { wildcards: true },
    );
    expect(isJobRunInParent(parts, wildRelease)).toBe(true);
    expect(isJobRunInParent({ ...parts, deliveryPipeline: "other" }, wildRelease)).toBe(false);
  });
});

describe("DeployPolicy names", () => {
  it("formats and parses", () => {
    const policy = { project: "p", location: "global", deployPolicy: "freeze" };
    expect(parseDeployPolicyName(deployPolicyName(policy))).toEqual(policy);
  });

  it("refuses anything else", () => {
    expect(refusal(() => parseDeployPolicyName(name)).message).toMatch(/invalid DeployPolicy name/);
  });
});

describe("Cloud Build names", () => {
  it("parses the build a job run reports", () => {
    expect(parseBuildName("projects/123/locations/us-central1/builds/0b1c-42")).toEqual({
      project: "123",
      location: "us-central1",
      build: "0b1c-42",
    });
  });

  it("refuses anything else", () => {
    expect(refusal(() => parseBuildName(name)).message).toMatch(/invalid Build name/);
    expect(refusal(() => parseBuildName("projects/p/builds/b")).message).toMatch(/invalid Build name/);
  });
});

describe("segment rules", () => {
  it("accept a character inside a segment exactly when it is a letter, digit, - . _ ~ (or : in a project)", () => {
    const allowed = /^[A-Za-z0-9._~-]$/;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      // Lone surrogates too: a name is any JavaScript string.
      const char = String.fromCodePoint(cp);
      for (const colon of [false, true]) {
        const problem = segmentProblem(`ab${char}cd`, { wildcard: false, colon });
        const ok = allowed.test(char) || (colon && char === ":");
        if ((problem === undefined) !== ok) wrong.push(`U+${cp.toString(16)} colon=${colon}: ${problem}`);
        // A refusal names the character (or its code point) that broke the rule.
        else if (
          problem !== undefined &&
          !problem.includes(JSON.stringify(char)) &&
          !problem.includes("U+") &&
          !problem.includes("NUL") &&
          !problem.includes(char)
        ) {
          wrong.push(`U+${cp.toString(16)}: ${problem}`);
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});
