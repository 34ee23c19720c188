// Every kind of credentials file, through fromEnvironment (as the proxy and the TUI load them), against
// a fake of Google's OAuth, STS and IAM Credentials endpoints on loopback.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiError } from "@jobrun/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createJobRunsClient,
  credentialsFromJson,
  externalAccount,
  fromEnvironment,
} from "../src/node/index.js";
import {
  type FakeGoogleAuth,
  makeServiceAccountKey,
  startFakeGoogleAuth,
  USER_CREDENTIALS,
} from "./support/fake-google-auth.js";
import { JOB_RUN, jobRunJson } from "./support/fixtures.js";
import { type SeenRequest, sendJson, startTestServer, type TestServer } from "./support/http-server.js";

const AUDIENCE =
  "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github";
const JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
// The workload's own token: a secret that must never appear in a message.
const SUBJECT_TOKEN = "eyJhbGciOiJSUzI1NiJ9.subject-token-secret.sig";

let dir: string;
const servers: TestServer[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobrun-client-credentials-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fakeGoogle(options: Parameters<typeof startFakeGoogleAuth>[0] = {}): Promise<FakeGoogleAuth> {
  const fake = await startFakeGoogleAuth({
    sts: { audience: AUDIENCE, subjectTokenType: JWT_TYPE, subjectTokens: new Set([SUBJECT_TOKEN]) },
    ...options,
  });
  servers.push(fake);
  return fake;
}

let fileCount = 0;
async function writeJson(value: unknown): Promise<string> {
  fileCount += 1;
  const path = join(dir, `credentials-${fileCount}.json`);
  await writeFile(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

async function writeText(text: string): Promise<string> {
  fileCount += 1;
  const path = join(dir, `subject-${fileCount}.txt`);
  await writeFile(path, text);
  return path;
}

/** ADC as the proxy and the TUI run it: only the credentials file, nothing else from this machine. */
function fromFile(path: string, env: Record<string, string> = {}) {
  return fromEnvironment({ env: { GOOGLE_APPLICATION_CREDENTIALS: path, PATH: "", ...env } });
}

/** A JobRun server that accepts the tokens `valid` accepts, recording every request. */
async function jobRunServer(valid: (token: string) => boolean) {
  const server = await startTestServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    if (!valid(token)) {
      sendJson(response, 401, {
        error: { code: 401, message: "invalid credentials", status: "UNAUTHENTICATED" },
      });
      return;
    }
    sendJson(response, 200, jobRunJson());
  });
  servers.push(server);
  return server;
}

function externalAccountFile(fake: FakeGoogleAuth, credentialSource: Record<string, unknown>, extra = {}) {
  return {
    type: "external_account",
    audience: AUDIENCE,
    subject_token_type: JWT_TYPE,
    token_url: fake.stsUrl,
    credential_source: credentialSource,
    ...extra,
  };
}

describe("external_account (workload identity federation)", () => {
  it("exchanges a file-sourced subject token at STS, and reads the file again after it rotates", async () => {
    const trusted = new Set([SUBJECT_TOKEN]);
    const fake = await fakeGoogle({
      sts: { audience: AUDIENCE, subjectTokenType: JWT_TYPE, subjectTokens: trusted },
    });
    const tokenFile = await writeText(`${SUBJECT_TOKEN}\n`);
    const path = await writeJson(externalAccountFile(fake, { file: tokenFile }));
    const provider = await fromFile(path);
    expect(provider.source).toBe(
      `external account ${AUDIENCE} from ${path} (GOOGLE_APPLICATION_CREDENTIALS)`,
    );
    const first = await provider.getAccessToken();
    expect(first).toMatch(/^ya29\.sts-/);
    expect(fake.exchanges[0]).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      audience: AUDIENCE,
      scope: CLOUD_PLATFORM,
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      subject_token: SUBJECT_TOKEN,
      subject_token_type: JWT_TYPE,
    });
    expect(fake.exchangeAuthorizations[0]).toBeUndefined();

    // Kubernetes rotates a projected token in place: the next exchange must read the new one.
    const rotated = `${SUBJECT_TOKEN}.rotated`;
    await writeFile(tokenFile, rotated);
    trusted.add(rotated);
    provider.invalidate?.(first);
    expect(await provider.getAccessToken()).not.toBe(first);
    expect(fake.exchanges[1]?.subject_token).toBe(rotated);
  });

  it("reads a JSON subject token file by subject_token_field_name", async () => {
    const fake = await fakeGoogle();
    const tokenFile = await writeText(JSON.stringify({ id_token: SUBJECT_TOKEN, other: "x" }));
    const path = await writeJson(
      externalAccountFile(fake, {
        file: tokenFile,
        format: { type: "json", subject_token_field_name: "id_token" },
      }),
    );
    expect(await (await fromFile(path)).getAccessToken()).toMatch(/^ya29\.sts-/);
    expect(fake.exchanges[0]?.subject_token).toBe(SUBJECT_TOKEN);
  });

  it("fetches a URL-sourced subject token with the file's headers, as text and as JSON", async () => {
    for (const format of ["text", "json"] as const) {
      const fake = await fakeGoogle({
        subjectToken: {
          token: SUBJECT_TOKEN,
          format,
          field: "access_token",
          requiredHeaders: { Metadata: "True" },
        },
      });
      const path = await writeJson(
        externalAccountFile(fake, {
          url: `${fake.url}/subject-token?resource=api://jobrun`,
          headers: { Metadata: "True" },
          ...(format === "json"
            ? { format: { type: "json", subject_token_field_name: "access_token" } }
            : {}),
        }),
      );
      expect(await (await fromFile(path)).getAccessToken()).toMatch(/^ya29\.sts-/);
      expect(fake.subjectTokenFetches).toBe(1);
      expect(fake.exchanges[0]?.subject_token).toBe(SUBJECT_TOKEN);
    }
  });

  it("impersonates a service account: STS for cloud-platform, then generateAccessToken with the asked scopes and lifetime", async () => {
    const fake = await fakeGoogle();
    const tokenFile = await writeText(SUBJECT_TOKEN);
    const path = await writeJson(
      externalAccountFile(
        fake,
        { file: tokenFile },
        {
          service_account_impersonation_url: fake.impersonationUrl("deployer@demo.iam.gserviceaccount.com"),
          service_account_impersonation: { token_lifetime_seconds: 1800 },
        },
      ),
    );
    const scopes = ["https://www.googleapis.com/auth/cloud-platform.read-only"];
    const provider = await fromEnvironment({
      env: { GOOGLE_APPLICATION_CREDENTIALS: path, PATH: "" },
      scopes,
    });
    expect(provider.source).toContain("impersonating deployer@demo.iam.gserviceaccount.com");
    expect(await provider.getAccessToken()).toMatch(/^ya29\.impersonated-deployer-/);
    expect(fake.exchanges[0]?.scope).toBe(CLOUD_PLATFORM);
    const [call] = fake.impersonations;
    expect(call?.serviceAccount).toBe("deployer@demo.iam.gserviceaccount.com");
    expect(call?.bearer).toMatch(/^ya29\.sts-/);
    expect(call?.body).toEqual({ scope: scopes, lifetime: "1800s" });
  });

  it("authenticates to STS with the file's client id and secret (HTTP Basic)", async () => {
    const client = { id: "wif-client", secret: "wif-client-secret" };
    const fake = await fakeGoogle({
      sts: {
        audience: AUDIENCE,
        subjectTokenType: JWT_TYPE,
        subjectTokens: new Set([SUBJECT_TOKEN]),
        client,
      },
    });
    const tokenFile = await writeText(SUBJECT_TOKEN);
    const path = await writeJson(
      externalAccountFile(fake, { file: tokenFile }, { client_id: client.id, client_secret: client.secret }),
    );
    expect(await (await fromFile(path)).getAccessToken()).toMatch(/^ya29\.sts-/);
    expect(fake.exchangeAuthorizations[0]).toBe(`Basic ${btoa("wif-client:wif-client-secret")}`);
  });

  it("sends a workforce pool's user project to STS", async () => {
    const workforce = "//iam.googleapis.com/locations/global/workforcePools/staff/providers/okta";
    const fake = await fakeGoogle({
      sts: { audience: workforce, subjectTokenType: JWT_TYPE, subjectTokens: new Set([SUBJECT_TOKEN]) },
    });
    const tokenFile = await writeText(SUBJECT_TOKEN);
    const path = await writeJson({
      ...externalAccountFile(fake, { file: tokenFile }),
      audience: workforce,
      workforce_pool_user_project: "billing-project",
    });
    await (await fromFile(path)).getAccessToken();
    expect(JSON.parse(fake.exchanges[0]?.options ?? "null")).toEqual({ userProject: "billing-project" });
  });

  it("works from a Worker (no file system) with a URL source, given as text", async () => {
    const fake = await fakeGoogle({ subjectToken: { token: SUBJECT_TOKEN, format: "text" } });
    const text = JSON.stringify(externalAccountFile(fake, { url: `${fake.url}/subject-token` }));
    const provider = credentialsFromJson(text);
    expect(await provider.getAccessToken()).toMatch(/^ya29\.sts-/);
    // A file source needs a file system, and says where to find one.
    expect(() => externalAccount(externalAccountFile(fake, { file: "/var/run/token" }))).toThrow(
      /credential_source\.file needs a file system: on Node, load these credentials with fromEnvironment\(\)/,
    );
  });

  it("calls the API with the federated token, end to end", async () => {
    const fake = await fakeGoogle();
    const tokenFile = await writeText(SUBJECT_TOKEN);
    const path = await writeJson(
      externalAccountFile(fake, { file: tokenFile }, { quota_project_id: "wif-quota" }),
    );
    const api = await jobRunServer((token) => token.startsWith("ya29.sts-"));
    const client = createJobRunsClient({ endpoint: api.url, auth: await fromFile(path) });
    expect((await client.getJobRun({ name: JOB_RUN })).name).toBe(JOB_RUN);
    expect(api.requests[0]?.headers["x-goog-user-project"]).toBe("wif-quota");
  });
});

describe("impersonated_service_account", () => {
  const target = "deployer@demo.iam.gserviceaccount.com";

  it("user credentials impersonate a service account through delegates; quota project from the file", async () => {
    const fake = await fakeGoogle();
    const path = await writeJson({
      type: "impersonated_service_account",
      service_account_impersonation_url: fake.impersonationUrl(target),
      delegates: [
        "middle@demo.iam.gserviceaccount.com",
        "projects/-/serviceAccounts/last@demo.iam.gserviceaccount.com",
      ],
      quota_project_id: "impersonation-quota",
      source_credentials: { type: "authorized_user", ...USER_CREDENTIALS },
    });
    const provider = await fromEnvironment({
      env: { GOOGLE_APPLICATION_CREDENTIALS: path, PATH: "" },
      fetch: routeOAuthTo(fake),
    });
    expect(provider.source).toBe(
      `service account ${target} impersonated by user credentials from ${path} (GOOGLE_APPLICATION_CREDENTIALS)`,
    );
    const api = await jobRunServer((token) => token.startsWith("ya29.impersonated-deployer-"));
    const client = createJobRunsClient({ endpoint: api.url, auth: provider });
    await client.getJobRun({ name: JOB_RUN });
    expect(fake.tokensIssued).toBe(1);
    expect(fake.impersonations[0]).toEqual({
      serviceAccount: target,
      bearer: "ya29.token-1",
      body: {
        delegates: [
          "projects/-/serviceAccounts/middle@demo.iam.gserviceaccount.com",
          "projects/-/serviceAccounts/last@demo.iam.gserviceaccount.com",
        ],
        scope: [CLOUD_PLATFORM],
        lifetime: "3600s",
      },
    });
    expect(api.requests[0]?.headers["x-goog-user-project"]).toBe("impersonation-quota");
  });

  it("a service account key impersonates another service account", async () => {
    const { keyFile, publicKey } = await makeServiceAccountKey("set below");
    const fake = await fakeGoogle({ publicKey });
    const path = await writeJson({
      type: "impersonated_service_account",
      service_account_impersonation_url: fake.impersonationUrl("runner@demo.iam.gserviceaccount.com"),
      source_credentials: { ...keyFile, token_uri: `${fake.url}/token` },
    });
    const provider = await fromFile(path);
    expect(await provider.getAccessToken()).toMatch(/^ya29\.impersonated-runner-/);
    expect(fake.assertions[0]?.scope).toBe(CLOUD_PLATFORM);
  });

  it("an external account impersonates a service account named in an impersonated_service_account file", async () => {
    const fake = await fakeGoogle();
    const tokenFile = await writeText(SUBJECT_TOKEN);
    const path = await writeJson({
      type: "impersonated_service_account",
      service_account_impersonation_url: fake.impersonationUrl(target),
      source_credentials: externalAccountFile(fake, { file: tokenFile }),
    });
    expect(await (await fromFile(path)).getAccessToken()).toMatch(/^ya29\.impersonated-deployer-/);
  });

  it("IAM's refusal says which permission is missing", async () => {
    const fake = await fakeGoogle();
    const path = await writeJson({
      type: "impersonated_service_account",
      service_account_impersonation_url: fake.impersonationUrl("denied@demo.iam.gserviceaccount.com"),
      source_credentials: { type: "authorized_user", ...USER_CREDENTIALS },
    });
    const provider = await fromEnvironment({
      env: { GOOGLE_APPLICATION_CREDENTIALS: path, PATH: "" },
      fetch: routeOAuthTo(fake),
    });
    const error = (await provider.getAccessToken().catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(
      /denied@demo\.iam\.gserviceaccount\.com.*HTTP 403 \(PERMISSION_DENIED: Permission 'iam\.serviceAccounts\.getAccessToken' denied/,
    );
    expect(error.message).not.toContain(USER_CREDENTIALS.refresh_token);
  });
});

/** authorized_user files carry no token_uri: route Google's OAuth endpoint to the fake. */
function routeOAuthTo(fake: FakeGoogleAuth) {
  return (url: string, init: RequestInit) =>
    fetch(url === "https://oauth2.googleapis.com/token" ? `${fake.url}/token` : url, init);
}

describe("environment variables", () => {
  it("GOOGLE_OAUTH_ACCESS_TOKEN is used as it is, before any credentials file, and never shown", async () => {
    const token = "ya29.a-ready-token-from-terraform";
    const provider = await fromEnvironment({
      env: {
        GOOGLE_OAUTH_ACCESS_TOKEN: token,
        GOOGLE_APPLICATION_CREDENTIALS: join(dir, "does-not-exist.json"),
      },
    });
    expect(provider.source).toBe("access token in GOOGLE_OAUTH_ACCESS_TOKEN");
    expect(await provider.getAccessToken()).toBe(token);
    const api = await jobRunServer((t) => t === token);
    await createJobRunsClient({ endpoint: api.url, auth: provider }).getJobRun({ name: JOB_RUN });
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it("the quota project: the file's, then GOOGLE_CLOUD_QUOTA_PROJECT over it, then the client's option over both", async () => {
    const path = await writeJson({
      type: "authorized_user",
      ...USER_CREDENTIALS,
      quota_project_id: "from-file",
    });
    expect((await fromFile(path)).quotaProject).toBe("from-file");
    const fromEnv = await fromFile(path, { GOOGLE_CLOUD_QUOTA_PROJECT: "from-env" });
    expect(fromEnv.quotaProject).toBe("from-env");
    const api = await jobRunServer(() => true);
    const seen = (request: SeenRequest | undefined) => request?.headers["x-goog-user-project"];
    const token = await fromEnvironment({
      env: { GOOGLE_OAUTH_ACCESS_TOKEN: "t", GOOGLE_CLOUD_QUOTA_PROJECT: "from-env" },
    });
    await createJobRunsClient({ endpoint: api.url, auth: token }).getJobRun({ name: JOB_RUN });
    await createJobRunsClient({ endpoint: api.url, auth: token, quotaProject: "from-option" }).getJobRun({
      name: JOB_RUN,
    });
    await createJobRunsClient({ endpoint: api.url }).getJobRun({ name: JOB_RUN });
    expect(api.requests.map(seen)).toEqual(["from-env", "from-option", undefined]);
  });

  it("GOOGLE_CLOUD_UNIVERSE_DOMAIN moves the endpoint to clouddeploy.<universe>", async () => {
    const provider = await fromEnvironment({
      env: { GOOGLE_OAUTH_ACCESS_TOKEN: "t", GOOGLE_CLOUD_UNIVERSE_DOMAIN: "sovereign-cloud.example" },
    });
    expect(provider.universeDomain).toBe("sovereign-cloud.example");
    expect(createJobRunsClient({ auth: provider }).endpoint).toBe(
      "https://clouddeploy.sovereign-cloud.example",
    );
  });

  it("credentials of another universe than GOOGLE_CLOUD_UNIVERSE_DOMAIN are refused, naming both", async () => {
    const { keyFile } = await makeServiceAccountKey("https://oauth2.googleapis.com/token");
    const path = await writeJson(keyFile);
    await expect(fromFile(path, { GOOGLE_CLOUD_UNIVERSE_DOMAIN: "sovereign-cloud.example" })).rejects.toThrow(
      /GOOGLE_CLOUD_UNIVERSE_DOMAIN is "sovereign-cloud\.example", but the credentials \(service account deployer@demo\.iam\.gserviceaccount\.com .*\) belong to "googleapis\.com"/,
    );
  });

  it("an external account's default STS endpoint follows its universe", async () => {
    const fake = await fakeGoogle({ subjectToken: { token: SUBJECT_TOKEN, format: "text" } });
    const urls: string[] = [];
    const provider = credentialsFromJson(
      {
        type: "external_account",
        audience: AUDIENCE,
        subject_token_type: JWT_TYPE,
        universe_domain: "sovereign-cloud.example",
        credential_source: { url: `${fake.url}/subject-token` },
      },
      {
        fetch: (url, init) => {
          urls.push(url);
          return fetch(url.replace("https://sts.sovereign-cloud.example", fake.url), init);
        },
      },
    );
    expect(provider.universeDomain).toBe("sovereign-cloud.example");
    await provider.getAccessToken();
    expect(urls).toContain("https://sts.sovereign-cloud.example/v1/token");
    expect(createJobRunsClient({ auth: provider }).endpoint).toBe(
      "https://clouddeploy.sovereign-cloud.example",
    );
  });
});

describe("bad credentials files: a clear error naming the file and the field, never a secret", () => {
  const SECRETS = [
    SUBJECT_TOKEN,
    USER_CREDENTIALS.client_secret,
    USER_CREDENTIALS.refresh_token,
    "wif-client-secret",
  ];
  const base = {
    type: "external_account",
    audience: AUDIENCE,
    subject_token_type: JWT_TYPE,
    token_url: "https://sts.googleapis.com/v1/token",
    credential_source: { file: "/var/run/token" },
    client_id: "wif-client",
    client_secret: "wif-client-secret",
  };
  const user = { type: "authorized_user", ...USER_CREDENTIALS };
  const impersonated = {
    type: "impersonated_service_account",
    service_account_impersonation_url:
      "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b.iam.gserviceaccount.com:generateAccessToken",
    source_credentials: user,
  };
  const cases: [string, unknown, RegExp][] = [
    ["not JSON", `{"type":"external_account","subject_token":"${SUBJECT_TOKEN}`, /is not JSON/],
    ["no audience", { ...base, audience: undefined }, /: audience is missing/],
    [
      "an empty subject_token_type",
      { ...base, subject_token_type: "" },
      /: subject_token_type must be a non-empty string/,
    ],
    ["no credential_source", { ...base, credential_source: undefined }, /: credential_source is missing/],
    [
      "both file and url",
      { ...base, credential_source: { file: "/t", url: "https://x.example/t" } },
      /: credential_source has both "file" and "url"; set one/,
    ],
    [
      "neither file nor url",
      { ...base, credential_source: {} },
      /: credential_source must have "file" or "url"/,
    ],
    [
      "an AWS source",
      { ...base, credential_source: { environment_id: "aws1", region_url: "http://169.254.169.254" } },
      /: credential_source\.environment_id \(AWS-sourced subject tokens\) is not supported/,
    ],
    [
      "an executable source",
      { ...base, credential_source: { executable: { command: "/bin/token" } } },
      /: credential_source\.executable \(executable-sourced subject tokens\) is not supported/,
    ],
    [
      "json format without a field name",
      { ...base, credential_source: { file: "/t", format: { type: "json" } } },
      /: credential_source\.format\.subject_token_field_name is missing/,
    ],
    [
      "an unknown format",
      { ...base, credential_source: { file: "/t", format: { type: "xml" } } },
      /: credential_source\.format\.type must be "text" or "json"/,
    ],
    [
      "a plain-http token_url to another machine",
      { ...base, token_url: "http://sts.example.com/v1/token" },
      /: token_url must be an https URL \(http only for localhost\)/,
    ],
    [
      "a token_url with a password",
      { ...base, token_url: "https://user:wif-client-secret@sts.example.com/v1/token" },
      /: token_url must not carry user:password/,
    ],
    [
      "a token lifetime out of range",
      { ...base, service_account_impersonation: { token_lifetime_seconds: 99_999 } },
      /: service_account_impersonation\.token_lifetime_seconds must be an integer from 600 to 43200/,
    ],
    [
      "a secret without an id",
      { ...base, client_id: undefined },
      /: client_id is missing \(client_secret is set\)/,
    ],
    [
      "a workforce user project on a workload pool",
      { ...base, workforce_pool_user_project: "p" },
      /: workforce_pool_user_project is only for workforce pools/,
    ],
    [
      "a bad universe",
      { ...base, universe_domain: "evil.example/#" },
      /: universe_domain must be a domain name/,
    ],
    [
      "user credentials without a refresh token",
      { ...user, refresh_token: undefined },
      /: refresh_token is missing/,
    ],
    [
      "user credentials in another universe",
      { ...user, universe_domain: "sovereign-cloud.example" },
      /: universe_domain must be googleapis\.com: user credentials exist in no other universe/,
    ],
    [
      "an impersonation without a source",
      { ...impersonated, source_credentials: undefined },
      /: source_credentials is missing/,
    ],
    [
      "an impersonation of an impersonation",
      { ...impersonated, source_credentials: impersonated },
      /: source_credentials\.type must be one of "service_account", "authorized_user", "external_account"/,
    ],
    [
      "an impersonation whose source lacks a field",
      { ...impersonated, source_credentials: { ...user, client_secret: 42 } },
      /: source_credentials\.client_secret must be a non-empty string/,
    ],
    [
      "an impersonation without a URL",
      { ...impersonated, service_account_impersonation_url: undefined },
      /: service_account_impersonation_url is missing/,
    ],
    [
      "bad delegates",
      { ...impersonated, delegates: "a@b" },
      /: delegates must be a list of non-empty strings/,
    ],
  ];

  it.each(cases)("%s", async (_, content, message) => {
    const path = await writeJson(content);
    const error = (await fromFile(path).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(`credentials file ${path} (GOOGLE_APPLICATION_CREDENTIALS)`);
    expect(error.message).toMatch(message);
    const everything = `${String(error)} ${JSON.stringify(error.toJSON())} ${String(error.cause)}`;
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it("a subject token file that is missing, empty or lacks its JSON field fails at the call, naming it", async () => {
    const fake = await fakeGoogle();
    const missing = join(dir, "no-such-token");
    const empty = await writeText("  \n");
    const wrongJson = await writeText(JSON.stringify({ token: SUBJECT_TOKEN }));
    const notJson = await writeText(SUBJECT_TOKEN);
    const expectations: [Record<string, unknown>, RegExp][] = [
      [
        { file: missing },
        new RegExp(
          `subject token file ${missing} \\(credential_source\\.file\\) cannot be read \\(ENOENT\\)`,
        ),
      ],
      [{ file: empty }, /subject token file .* \(credential_source\.file\) is empty/],
      [
        { file: wrongJson, format: { type: "json", subject_token_field_name: "id_token" } },
        /has no non-empty string field "id_token" \(credential_source\.format\.subject_token_field_name\)/,
      ],
      [
        { file: notJson, format: { type: "json", subject_token_field_name: "id_token" } },
        /is not JSON \(credential_source\.format\.type is "json"\)/,
      ],
    ];
    for (const [source, message] of expectations) {
      const path = await writeJson(externalAccountFile(fake, source));
      const error = (await (await fromFile(path)).getAccessToken().catch((e: unknown) => e)) as ApiError;
      expect(error.code).toBe("UNAUTHENTICATED");
      expect(error.message).toMatch(message);
      expect(error.message).toContain(path);
      expect(String(error)).not.toContain(SUBJECT_TOKEN);
    }
    expect(fake.exchanges).toHaveLength(0);
  });

  it("a subject token URL that refuses, and an STS that refuses the token, say so without the token", async () => {
    const fake = await fakeGoogle({
      subjectToken: { token: "not-trusted-token", format: "text", requiredHeaders: { Metadata: "True" } },
    });
    const refused = await fromFile(
      await writeJson(externalAccountFile(fake, { url: `${fake.url}/subject-token` })),
    );
    const first = (await refused.getAccessToken().catch((e: unknown) => e)) as ApiError;
    expect(first.message).toMatch(/subject token URL \(credential_source\.url\) answered HTTP 400/);
    const untrusted = await fromFile(
      await writeJson(
        externalAccountFile(fake, { url: `${fake.url}/subject-token`, headers: { Metadata: "True" } }),
      ),
    );
    const second = (await untrusted.getAccessToken().catch((e: unknown) => e)) as ApiError;
    expect(second.code).toBe("UNAUTHENTICATED");
    expect(second.message).toMatch(
      /STS token endpoint answered HTTP 400 \(invalid_grant: The subject token is invalid/,
    );
    expect(second.message).not.toContain("not-trusted-token");
  });
});
