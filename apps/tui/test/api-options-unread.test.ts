// The binary's bundle does not hydrate the google/api option files @jobrun/core's descriptors
// import only for options nothing reads (scripts/api-options-unread.mjs): messages, their JSON and
// binary forms, the options kept in the descriptors and the REST routes must stay what they are.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEmulator } from "@jobrun/emulator";
import { build, type Plugin } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { apiOptionsUnread } from "../scripts/api-options-unread.mjs";

const workDir = mkdtempSync(join(tmpdir(), "jobrun-api-options-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** What the test reads from a bundle of @jobrun/core. */
interface Probe {
  readonly source: string;
  /** The runs decoded from JSON and encoded again, as JSON and as base64 of their binary form. */
  roundTrip(runs: readonly unknown[]): { json: unknown[]; binary: string[] };
  /** Every message of the JobRun and watch files: fields and the bytes of each field's options. */
  shapes(): unknown;
  routes(): unknown;
}

const ENTRY = `
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { FieldOptionsSchema, MessageOptionsSchema } from "@bufbuild/protobuf/wkt";
import { decodeJson, encodeJson, JobRunSchema, file_google_cloud_deploy_v1_jobrun, JobRunWatch, routes, watchRoutes } from "@jobrun/core";
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
export const source = "";
export function roundTrip(runs) {
  const decoded = runs.map((run) => decodeJson(JobRunSchema, run));
  return {
    json: decoded.map((run) => encodeJson(JobRunSchema, fromBinary(JobRunSchema, toBinary(JobRunSchema, run)))),
    binary: decoded.map((run) => b64(toBinary(JobRunSchema, run))),
  };
}
export function shapes() {
  return [...file_google_cloud_deploy_v1_jobrun.messages, ...JobRunWatch.file.messages].map((m) => ({
    name: m.typeName,
    options: m.proto.options ? b64(toBinary(MessageOptionsSchema, m.proto.options)) : "",
    fields: m.fields.map((f) => [f.name, f.number, f.fieldKind, f.jsonName, f.proto.options ? b64(toBinary(FieldOptionsSchema, f.proto.options)) : ""]),
  }));
}
export function routes_() {
  return [...routes, ...watchRoutes].map((r) => [r.rpc, r.methodName, r.method, r.body, JSON.stringify(r.template), r.input.typeName, r.output.typeName]);
}
export { routes_ as routes };
`;

async function bundle(name: string, plugins: Plugin[]): Promise<Probe> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL("..", import.meta.url)) },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    plugins,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text ?? "";
  const file = join(workDir, `${name}.mjs`);
  writeFileSync(file, text);
  const probe = (await import(pathToFileURL(file).href)) as Probe;
  return { ...probe, source: text, roundTrip: probe.roundTrip, shapes: probe.shapes, routes: probe.routes };
}

describe("the google/api option files, not hydrated in the bundle", () => {
  it("leaves messages, their JSON and binary forms, their options and the routes as they are", async () => {
    const original = await bundle("original", []);
    const trimmed = await bundle("trimmed", [apiOptionsUnread()]);
    // The option files are gone from the bundle (client.proto's descriptor starts so in base64).
    expect(original.source).toContain("Chdnb29nbGUvYXBpL2NsaWVudC5wcm90");
    expect(trimmed.source).not.toContain("Chdnb29nbGUvYXBpL2NsaWVudC5wcm90");
    const demo = createEmulator({ demo: true, seed: 7, timers: false });
    const runs = demo.exportJobRuns().jobRuns;
    expect(runs.length).toBeGreaterThan(50);
    expect(trimmed.roundTrip(runs)).toEqual(original.roundTrip(runs));
    expect(trimmed.roundTrip(runs).json).toEqual(runs);
    expect(trimmed.shapes()).toEqual(original.shapes());
    expect(trimmed.routes()).toEqual(original.routes());
    expect((trimmed.routes() as unknown[]).length).toBeGreaterThan(3);
  });

  it("fails the build when the generated imports change", async () => {
    const plugin = apiOptionsUnread();
    await expect(
      build({
        stdin: { contents: 'export { JobRunSchema } from "@jobrun/core";', resolveDir: workDir },
        bundle: true,
        write: false,
        logLevel: "silent",
        plugins: [plugin],
        // Not the monorepo's @jobrun/core: nothing to apply the plugin to.
        external: ["@jobrun/core"],
      }),
    ).rejects.toThrow(/api-options-unread patched 0 files/);
  });
});
