import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiError } from "@jobrun/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fromEnvironment, gcloudCli } from "../src/node/index.js";
import { fakeClock } from "./support/fake-clock.js";
import { makeServiceAccountKey, startFakeGoogleAuth } from "./support/fake-google-auth.js";
import { sendJson, startTestServer, type TestServer } from "./support/http-server.js";

let dir: string;
const servers: TestServer[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobrun-client-auth-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A stand-in for the gcloud CLI (outside this machine's control): prints `output`, counts its runs. */
async function fakeGcloud(name: string, script: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const path = join(folder, "gcloud");
  await writeFile(
    path,
    `#!${process.execPath}\nconst fs = require("node:fs");\nfs.appendFileSync(${JSON.stringify(join(folder, "runs"))}, JSON.stringify(process.argv.slice(2)) + "\\n");\n${script}\n`,
  );
  await chmod(path, 0o755);
  return folder;
}

async function runsOf(folder: string): Promise<string[][]> {
  const text = await readFile(join(folder, "runs"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
}

describe("gcloud CLI", () => {
  it("runs print-access-token once, uses token_expiry, and caches until 5 min before it", async () => {
    const expiry = new Date(Date.UTC(2025, 0, 1, 1, 0, 0)).toISOString();
    const folder = await fakeGcloud(
      "json",
      `process.stdout.write(JSON.stringify({ token: "ya29.gcloud", token_expiry: ${JSON.stringify(expiry)} }));`,
    );
    const clock = fakeClock(Date.UTC(2025, 0, 1));
    const provider = gcloudCli({ command: join(folder, "gcloud"), clock });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => provider.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(["ya29.gcloud"]));
    clock.advance(54 * 60_000);
    await provider.getAccessToken();
    expect(await runsOf(folder)).toEqual([["auth", "print-access-token", "--format=json"]]);
    clock.advance(2 * 60_000);
    await provider.getAccessToken();
    expect(await runsOf(folder)).toHaveLength(2);
  });

  it("accepts the bare token older gcloud versions print", async () => {
    const folder = await fakeGcloud("plain", `process.stdout.write("ya29.plain\\n");`);
    expect(await gcloudCli({ command: join(folder, "gcloud") }).getAccessToken()).toBe("ya29.plain");
  });

  it("reports gcloud's own advice when it fails", async () => {
    const folder = await fakeGcloud(
      "failing",
      `process.stderr.write("ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.\\n"); process.exit(1);`,
    );
    const error = (await gcloudCli({ command: join(folder, "gcloud") })
      .getAccessToken()
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(/do not currently have an active account/);
  });

  it("says when gcloud is not installed", async () => {
    const error = (await gcloudCli({ command: join(dir, "nowhere", "gcloud") })
      .getAccessToken()
      .catch((e: unknown) => e)) as ApiError;
    expect(error.message).toMatch(/was not found on PATH/);
  });
});

describe("fromEnvironment (like ADC)", () => {
  it("1. uses the service-account key named by GOOGLE_APPLICATION_CREDENTIALS", async () => {
    const { keyFile, publicKey } = await makeServiceAccountKey("set below");
    const verifying = await startFakeGoogleAuth({ publicKey });
    servers.push(verifying);
    const path = join(dir, "key.json");
    await writeFile(path, JSON.stringify({ ...keyFile, token_uri: `${verifying.url}/token` }));
    const provider = await fromEnvironment({ env: { GOOGLE_APPLICATION_CREDENTIALS: path, PATH: "" } });
    expect(provider.source).toBe(
      `service account deployer@demo.iam.gserviceaccount.com from ${path} (GOOGLE_APPLICATION_CREDENTIALS)`,
    );
    expect(await provider.getAccessToken()).toBe("ya29.token-1");
  });

  it("a missing or malformed credentials file is a clear error that does not quote it", async () => {
    await expect(
      fromEnvironment({ env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, "missing.json") } }),
    ).rejects.toThrow(/missing\.json, which cannot be read \(ENOENT\)/);
    const path = join(dir, "broken.json");
    await writeFile(path, '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----SECRET');
    const error = (await fromEnvironment({ env: { GOOGLE_APPLICATION_CREDENTIALS: path } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/broken\.json .*is not JSON/);
    expect(error.message).not.toContain("SECRET");
    const unsupported = join(dir, "unsupported.json");
    await writeFile(unsupported, '{"type":"gdch_service_account"}');
    await expect(fromEnvironment({ env: { GOOGLE_APPLICATION_CREDENTIALS: unsupported } })).rejects.toThrow(
      /type "gdch_service_account"; supported are "service_account", "authorized_user", "external_account", "impersonated_service_account"/,
    );
  });

  it("2. uses gcloud's application-default credentials file", async () => {
    const config = join(dir, "gcloud-config");
    await mkdir(config, { recursive: true });
    const adc = join(config, "application_default_credentials.json");
    await writeFile(
      adc,
      JSON.stringify({ type: "authorized_user", client_id: "cid", client_secret: "cs", refresh_token: "rt" }),
    );
    const provider = await fromEnvironment({ env: { CLOUDSDK_CONFIG: config, PATH: "" } });
    expect(provider.source).toBe(`user credentials from ${adc}`);
  });

  it("3. uses the gcloud CLI found on PATH", async () => {
    const folder = await fakeGcloud(
      "on-path",
      `process.stdout.write(JSON.stringify({ token: "ya29.path" }));`,
    );
    const provider = await fromEnvironment({ env: { PATH: folder, CLOUDSDK_CONFIG: join(dir, "empty") } });
    expect(provider.source).toBe(`gcloud CLI at ${join(folder, "gcloud")}`);
    expect(await provider.getAccessToken()).toBe("ya29.path");
  });

  it("4. falls back to the metadata server at GCE_METADATA_HOST", async () => {
    const metadata = await startTestServer((_, response) =>
      sendJson(response, 200, { access_token: "meta", expires_in: 100 }),
    );
    servers.push(metadata);
    const host = new URL(metadata.url).host;
    const provider = await fromEnvironment({
      env: { PATH: "", CLOUDSDK_CONFIG: join(dir, "empty"), GCE_METADATA_HOST: host },
    });
    expect(provider.source).toBe(`metadata server at http://${host}`);
    expect(await provider.getAccessToken()).toBe("meta");
  });

  it("says everything it tried when nothing works", async () => {
    const closed = await startTestServer(() => undefined);
    const host = new URL(closed.url).host;
    await closed.close();
    const provider = await fromEnvironment({
      env: { PATH: "", CLOUDSDK_CONFIG: join(dir, "empty"), GCE_METADATA_HOST: host },
    });
    const error = (await provider.getAccessToken().catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(
      /GOOGLE_APPLICATION_CREDENTIALS is not set.*gcloud is not on PATH.*metadata server did not answer/,
    );
  });
});
