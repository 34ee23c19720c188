// Our proto against Google's cloud_deploy.proto (from the google-proto-files npm package, v5: the
// newest line that installs on Node 20, carrying the same file as v6), both compiled by buf: every
// JobRun message, enum and RPC must have the same names, numbers, types, labels, JSON names, oneofs,
// enum values, HTTP bindings, field behaviors and resource references, so the two are
// interchangeable on the wire and say the same about which fields are required or output only.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createFileRegistry,
  type DescEnum,
  type DescMessage,
  type DescService,
  type FileRegistry,
  fromBinary,
  getOption,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http } from "../src/gen/google/api/annotations_pb.js";
import { default_host, method_signature, oauth_scopes } from "../src/gen/google/api/client_pb.js";
import { field_behavior } from "../src/gen/google/api/field_behavior_pb.js";
import { resource, resource_reference } from "../src/gen/google/api/resource_pb.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(dirname(packageDir));
const buf = join(packageDir, "node_modules", ".bin", "buf");
const googleProtoFiles = realpathSync(
  dirname(createRequire(join(packageDir, "package.json")).resolve("google-proto-files/package.json")),
);

let work: string;
let ours: FileRegistry;
let google: FileRegistry;

function build(args: string[], cwd: string, out: string): FileRegistry {
  execFileSync(buf, ["build", ...args, "-o", out], { cwd, stdio: "pipe" });
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "jobrun-proto-"));
  ours = build(["proto"], repoRoot, join(work, "ours.binpb"));
  google = build(
    [
      googleProtoFiles,
      "--config",
      '{"version":"v2"}',
      "--path",
      join(googleProtoFiles, "google/cloud/deploy/v1/cloud_deploy.proto"),
    ],
    work,
    join(work, "google.binpb"),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const messages = [
  "JobRun",
  "DeployJobRun",
  "DeployJobRunMetadata",
  "CloudRunMetadata",
  "CustomTargetDeployMetadata",
  "CustomMetadata",
  "DeployArtifact",
  "VerifyJobRun",
  "PredeployJobRun",
  "PostdeployJobRun",
  "CreateChildRolloutJobRun",
  "AdvanceChildRolloutJobRun",
  "ListJobRunsRequest",
  "ListJobRunsResponse",
  "GetJobRunRequest",
  "TerminateJobRunRequest",
  "TerminateJobRunResponse",
].map((name) => `google.cloud.deploy.v1.${name}`);

const enums = [
  "JobRun.State",
  "DeployJobRun.FailureCause",
  "VerifyJobRun.FailureCause",
  "PredeployJobRun.FailureCause",
  "PostdeployJobRun.FailureCause",
].map((name) => `google.cloud.deploy.v1.${name}`);

function fieldShape(message: DescMessage) {
  return message.fields.map((f) => ({
    name: f.name,
    number: f.number,
    type: f.proto.type,
    label: f.proto.label,
    jsonName: f.proto.jsonName,
    typeName: f.proto.typeName,
    oneof: f.oneof?.name,
  }));
}

/** What the google.api annotations say about each field: its behaviors and the resource it names. */
function fieldAnnotations(message: DescMessage) {
  return message.fields.map((f) => {
    const reference = getOption(f, resource_reference);
    return {
      name: f.name,
      behavior: [...getOption(f, field_behavior)].sort(),
      reference: { type: reference.type, childType: reference.childType },
    };
  });
}

function enumShape(desc: DescEnum) {
  return desc.values.map((v) => [v.name, v.number]);
}

function find<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

describe("our jobrun.proto matches Google's cloud_deploy.proto", () => {
  it("declares exactly the JobRun messages and enums", () => {
    const declared = [...ours.getFile("google/cloud/deploy/v1/jobrun.proto")!.messages].map(
      (m) => m.typeName,
    );
    expect(declared.sort()).toEqual([...messages].sort());
  });

  for (const typeName of messages) {
    it(`${typeName}: same fields (name, number, type, label, json name, type name, oneof)`, () => {
      const mine = find(ours.getMessage(typeName), `our ${typeName}`);
      const theirs = find(google.getMessage(typeName), `Google's ${typeName}`);
      const byNumber = (a: { number: number }, b: { number: number }) => a.number - b.number;
      expect(fieldShape(mine).sort(byNumber)).toEqual(fieldShape(theirs).sort(byNumber));
      expect(mine.oneofs.map((o) => o.name)).toEqual(theirs.oneofs.map((o) => o.name));
    });
  }

  for (const typeName of messages) {
    it(`${typeName}: same field_behavior and resource_reference on every field`, () => {
      const mine = find(ours.getMessage(typeName), `our ${typeName}`);
      const theirs = find(google.getMessage(typeName), `Google's ${typeName}`);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(fieldAnnotations(mine).sort(byName)).toEqual(fieldAnnotations(theirs).sort(byName));
    });
  }

  it("JobRun: same resource type and pattern", () => {
    const descriptor = (r: FileRegistry) =>
      getOption(find(r.getMessage("google.cloud.deploy.v1.JobRun"), "JobRun"), resource);
    expect(descriptor(ours).type).toBe("clouddeploy.googleapis.com/JobRun");
    expect(descriptor(ours).type).toBe(descriptor(google).type);
    expect(descriptor(ours).pattern).toEqual(descriptor(google).pattern);
  });

  for (const typeName of enums) {
    it(`${typeName}: same values and numbers`, () => {
      const mine = find(ours.getEnum(typeName), `our ${typeName}`);
      const theirs = find(google.getEnum(typeName), `Google's ${typeName}`);
      expect(enumShape(mine)).toEqual(enumShape(theirs));
    });
  }

  it("the oneof job_run declares its members in Google's order", () => {
    const order = (r: FileRegistry) =>
      find(r.getMessage("google.cloud.deploy.v1.JobRun"), "JobRun").oneofs[0]!.fields.map((f) => f.number);
    expect(order(ours)).toEqual([9, 10, 14, 15, 12, 13]);
    expect(order(ours)).toEqual(order(google));
  });

  it("the service: same name, default host and OAuth scope", () => {
    const service = (r: FileRegistry) =>
      find(r.getService("google.cloud.deploy.v1.CloudDeploy"), "CloudDeploy");
    expect(getOption(service(ours), default_host)).toBe("clouddeploy.googleapis.com");
    expect(getOption(service(ours), default_host)).toBe(getOption(service(google), default_host));
    expect(getOption(service(ours), oauth_scopes)).toBe("https://www.googleapis.com/auth/cloud-platform");
    expect(getOption(service(ours), oauth_scopes)).toBe(getOption(service(google), oauth_scopes));
  });

  for (const rpc of ["ListJobRuns", "GetJobRun", "TerminateJobRun"]) {
    it(`${rpc}: same input, output, HTTP binding and method signature`, () => {
      const method = (r: FileRegistry) => {
        const service = find(
          r.getService("google.cloud.deploy.v1.CloudDeploy"),
          "CloudDeploy",
        ) as DescService;
        return find(
          service.methods.find((m) => m.name === rpc),
          rpc,
        );
      };
      const mine = method(ours);
      const theirs = method(google);
      expect(mine.input.typeName).toBe(theirs.input.typeName);
      expect(mine.output.typeName).toBe(theirs.output.typeName);
      const rule = (m: typeof mine) => {
        const option = getOption(m, http);
        return { pattern: option.pattern, body: option.body };
      };
      expect(rule(mine)).toEqual(rule(theirs));
      expect(getOption(mine, method_signature)).toEqual(getOption(theirs, method_signature));
    });
  }
});
