import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/options/parse-options.js";
import { serverOrderBy } from "../src/state/sort.js";

function parentOf(argv: string[], env: Record<string, string> = {}): string {
  const parsed = parseCommandLine(argv, env);
  if (parsed.kind !== "run") throw new Error(`expected run, got ${JSON.stringify(parsed)}`);
  return parsed.options.parent;
}

describe("scope flags", () => {
  it("default to the demo project with every other segment a wildcard", () => {
    expect(parentOf([])).toBe("projects/demo-project/locations/-/deliveryPipelines/-/releases/-/rollouts/-");
  });

  it("take gcloud's --project --region --delivery-pipeline --release --rollout", () => {
    expect(
      parentOf([
        "--project",
        "p",
        "--region",
        "us-central1",
        "--delivery-pipeline",
        "web",
        "--release",
        "r1",
        "--rollout",
        "r1-to-prod-0001",
      ]),
    ).toBe("projects/p/locations/us-central1/deliveryPipelines/web/releases/r1/rollouts/r1-to-prod-0001");
  });

  it("accept a full rollout name, as --rollout or as the argument", () => {
    const name = "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/x";
    expect(parentOf(["--rollout", name])).toBe(name);
    expect(parentOf([name])).toBe(name);
  });

  it("refuse a flag that contradicts the full name", () => {
    const parsed = parseCommandLine(
      ["--region", "eu", "--rollout", "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/x"],
      {},
    );
    expect(parsed).toEqual({
      kind: "error",
      message: expect.stringMatching(/--region eu contradicts the full --rollout name \(which says l\)/),
    });
  });

  it("with --endpoint, take the project and region from gcloud's environment variables", () => {
    expect(
      parentOf(["--endpoint", "https://clouddeploy.googleapis.com"], {
        CLOUDSDK_CORE_PROJECT: "prod-1",
        CLOUDSDK_DEPLOY_REGION: "europe-west1",
      }),
    ).toBe("projects/prod-1/locations/europe-west1/deliveryPipelines/-/releases/-/rollouts/-");
  });
});

describe("other flags", () => {
  it("--refresh 0 means manual refresh; --readonly and --sort-by are kept", () => {
    const parsed = parseCommandLine(["--refresh", "0", "--readonly", "--sort-by", "~createTime"], {});
    expect(parsed.kind === "run" && parsed.options).toMatchObject({
      refreshSeconds: 0,
      readonly: true,
      sort: { field: "createTime", descending: true },
    });
  });
});

describe("server order", () => {
  it("sorts within equal values newest first, so a list by state is in time order within each state", () => {
    expect(serverOrderBy({ field: "state", descending: false })).toBe("state,createTime desc");
    expect(serverOrderBy({ field: "jobId", descending: true })).toBe("jobId desc,createTime desc");
    expect(serverOrderBy({ field: "createTime", descending: false })).toBe("createTime");
    expect(serverOrderBy(undefined)).toBe("");
  });
});
