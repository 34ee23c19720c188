import { ApiError } from "@jobrun/core";
import { jwtVerify } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  cachedTokenProvider,
  createJobRunsClient,
  metadataServer,
  serviceAccountKey,
  staticToken,
} from "../src/index.js";
import { fakeClock } from "./support/fake-clock.js";
import { makeServiceAccountKey, startFakeGoogleAuth } from "./support/fake-google-auth.js";
import { JOB_RUN, jobRunJson } from "./support/fixtures.js";
import { sendJson, startTestServer, type TestServer } from "./support/http-server.js";

const servers: TestServer[] = [];
async function track<T extends TestServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A JobRun server that accepts exactly the tokens in `valid`. */
function jobRunServer(valid: (token: string) => boolean) {
  return startTestServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    if (!valid(token)) {
      sendJson(response, 401, {
        error: {
          code: 401,
          message: "Request had invalid authentication credentials.",
          status: "UNAUTHENTICATED",
        },
      });
      return;
    }
    sendJson(response, 200, jobRunJson());
  });
}

describe("token cache", () => {
  it("keeps a token until five minutes before it expires", async () => {
    const clock = fakeClock();
    let fetched = 0;
    const provider = cachedTokenProvider(
      async () => {
        fetched += 1;
        return { token: `t${fetched}`, expiresAt: clock.now() + 3600_000 };
      },
      { clock },
    );
    expect(await provider.getAccessToken()).toBe("t1");
    clock.advance(54 * 60_000);
    expect(await provider.getAccessToken()).toBe("t1");
    clock.advance(60_001);
    expect(await provider.getAccessToken()).toBe("t2");
    expect(fetched).toBe(2);
  });

  it("shares one refresh between concurrent callers, and a failed refresh is not cached", async () => {
    let fetched = 0;
    let fail = true;
    const provider = cachedTokenProvider(async () => {
      fetched += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (fail) throw new ApiError("UNAVAILABLE", "token endpoint down");
      return { token: "fresh", expiresAt: Date.now() + 3600_000 };
    });
    const failures = await Promise.allSettled(Array.from({ length: 10 }, () => provider.getAccessToken()));
    expect(failures.every((result) => result.status === "rejected")).toBe(true);
    expect(fetched).toBe(1);
    fail = false;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => provider.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(["fresh"]));
    expect(fetched).toBe(2);
  });

  it("one caller's abort does not cancel the shared refresh", async () => {
    const provider = cachedTokenProvider(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { token: "shared", expiresAt: Date.now() + 3600_000 };
    });
    const controller = new AbortController();
    const aborted = provider.getAccessToken({ signal: controller.signal });
    const patient = provider.getAccessToken();
    controller.abort(new ApiError("CANCELLED", "gone"));
    await expect(aborted).rejects.toMatchObject({ code: "CANCELLED" });
    expect(await patient).toBe("shared");
  });

  it("a token endpoint that hangs fails the refresh after fetchTimeoutMs", async () => {
    const provider = cachedTokenProvider(
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      {
        fetchTimeoutMs: 30,
      },
    );
    await expect(provider.getAccessToken()).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });
});

describe("service account (JWT-bearer flow)", () => {
  let key: Awaited<ReturnType<typeof makeServiceAccountKey>>;
  beforeAll(async () => {
    key = await makeServiceAccountKey("unused");
  });

  it("signs an RS256 assertion Google accepts: iss, aud, scope, iat, exp, kid", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey }));
    const clock = fakeClock(Date.now());
    const provider = serviceAccountKey(JSON.stringify(key.keyFile), {
      tokenEndpoint: `${tokens.url}/token`,
      clock,
    });
    expect(await provider.getAccessToken()).toBe("ya29.token-1");
    const [claims] = tokens.assertions;
    expect(claims?.scope).toBe("https://www.googleapis.com/auth/cloud-platform");
    expect(claims?.iat).toBe(Math.floor(clock.now() / 1000));
    expect(claims!.exp! - claims!.iat!).toBe(3600);
    expect(tokens.headers[0]).toMatchObject({ alg: "RS256", kid: "key-1", typ: "JWT" });
    expect(tokens.requests[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("one token fetch for 100 parallel calls", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey, delayMs: 20 }));
    const api = await track(jobRunServer((token) => token === "ya29.token-1"));
    const auth = serviceAccountKey(key.keyFile, { tokenEndpoint: `${tokens.url}/token` });
    const client = createJobRunsClient({ endpoint: api.url, auth });
    const runs = await Promise.all(Array.from({ length: 100 }, () => client.getJobRun({ name: JOB_RUN })));
    expect(runs).toHaveLength(100);
    expect(tokens.tokensIssued).toBe(1);
    expect(api.requests).toHaveLength(100);
  });

  it("refreshes once and resends when the server refuses a cached token (401)", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey }));
    const api = await track(jobRunServer((token) => token === "ya29.token-2"));
    const client = createJobRunsClient({
      endpoint: api.url,
      auth: serviceAccountKey(key.keyFile, { tokenEndpoint: `${tokens.url}/token` }),
    });
    await client.getJobRun({ name: JOB_RUN });
    expect(tokens.tokensIssued).toBe(2);
    expect(api.requests).toHaveLength(2);
  });

  it("after a revocation, 500 calls in flight make exactly one token refetch", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey, delayMs: 5 }));
    let revoked = new Set<string>();
    const api = await track(
      startTestServer(async (request, response) => {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
        // Answers spread out, as a real server's do: some 401s arrive after the refresh is done.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
        if (revoked.has(token) || !token.startsWith("ya29.")) {
          sendJson(response, 401, { error: { code: 401, message: "revoked", status: "UNAUTHENTICATED" } });
          return;
        }
        sendJson(response, 200, jobRunJson());
      }),
    );
    const client = createJobRunsClient({
      endpoint: api.url,
      auth: serviceAccountKey(key.keyFile, { tokenEndpoint: `${tokens.url}/token` }),
    });
    await client.getJobRun({ name: JOB_RUN });
    expect(tokens.tokensIssued).toBe(1);
    revoked = new Set(["ya29.token-1"]);
    const runs = await Promise.all(Array.from({ length: 500 }, () => client.getJobRun({ name: JOB_RUN })));
    expect(runs).toHaveLength(500);
    expect(tokens.tokensIssued).toBe(2);
  });

  it("invalidate forgets only the token it is told was refused", async () => {
    let fetched = 0;
    const provider = cachedTokenProvider(async () => {
      fetched += 1;
      return { token: `t${fetched}`, expiresAt: Date.now() + 3600_000 };
    });
    expect(await provider.getAccessToken()).toBe("t1");
    provider.invalidate?.("t0");
    expect(await provider.getAccessToken()).toBe("t1");
    provider.invalidate?.("t1");
    expect(await provider.getAccessToken()).toBe("t2");
    provider.invalidate?.("t1");
    expect(await provider.getAccessToken()).toBe("t2");
    provider.invalidate?.();
    expect(await provider.getAccessToken()).toBe("t3");
    expect(fetched).toBe(3);
  });

  it("resends a refused terminate once too (a 401 was not acted on), but never more", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey }));
    const api = await track(jobRunServer(() => false));
    const client = createJobRunsClient({
      endpoint: api.url,
      auth: serviceAccountKey(key.keyFile, { tokenEndpoint: `${tokens.url}/token` }),
    });
    await expect(client.terminateJobRun({ name: JOB_RUN })).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
    expect(api.requests).toHaveLength(2);
    expect(tokens.tokensIssued).toBe(2);
  });

  it("a rejected grant is UNAUTHENTICATED with the endpoint's reason, never the assertion", async () => {
    const other = await makeServiceAccountKey("unused");
    const tokens = await track(startFakeGoogleAuth({ publicKey: other.publicKey }));
    const provider = serviceAccountKey(key.keyFile, { tokenEndpoint: `${tokens.url}/token` });
    const error = (await provider.getAccessToken().catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(/deployer@demo\.iam\.gserviceaccount\.com.*HTTP 400 \(invalid_grant/);
    expect(error.message).not.toMatch(/eyJ/);
  });

  it("outside googleapis.com, the token is a self-signed JWT with scope and no aud (AIP-4111), with no token request", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey }));
    const clock = fakeClock(Date.now());
    const provider = serviceAccountKey(
      { ...key.keyFile, token_uri: `${tokens.url}/token`, universe_domain: "sovereign-cloud.example" },
      { clock },
    );
    expect(provider.universeDomain).toBe("sovereign-cloud.example");
    const token = await provider.getAccessToken();
    expect(await provider.getAccessToken()).toBe(token);
    expect(tokens.requests).toHaveLength(0);
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", kid: "key-1" });
    expect(payload).toEqual({
      iss: "deployer@demo.iam.gserviceaccount.com",
      sub: "deployer@demo.iam.gserviceaccount.com",
      scope: "https://www.googleapis.com/auth/cloud-platform",
      iat: Math.floor(clock.now() / 1000),
      exp: Math.floor(clock.now() / 1000) + 3600,
    });
    // The client follows the key's universe, and refuses to be pointed at another one.
    const api = await track(jobRunServer((t) => t === token));
    const routed: string[] = [];
    const client = createJobRunsClient({
      auth: provider,
      fetch: (url, init) => {
        routed.push(url);
        return fetch(url.replace("https://clouddeploy.sovereign-cloud.example", api.url), init);
      },
    });
    expect(client.endpoint).toBe("https://clouddeploy.sovereign-cloud.example");
    await client.getJobRun({ name: JOB_RUN });
    expect(routed[0]?.startsWith(`https://clouddeploy.sovereign-cloud.example/v1/${JOB_RUN}`)).toBe(true);
    expect(() => createJobRunsClient({ auth: provider, universeDomain: "googleapis.com" })).toThrow(
      /universeDomain is "googleapis\.com", but the credentials belong to "sovereign-cloud\.example"/,
    );
  });

  it("carries the key's quota_project_id to the client's x-goog-user-project header", async () => {
    const tokens = await track(startFakeGoogleAuth({ publicKey: key.publicKey }));
    const api = await track(jobRunServer((t) => t === "ya29.token-1"));
    const auth = serviceAccountKey(
      { ...key.keyFile, quota_project_id: "billing-project" },
      { tokenEndpoint: `${tokens.url}/token` },
    );
    await createJobRunsClient({ endpoint: api.url, auth }).getJobRun({ name: JOB_RUN });
    expect(api.requests[0]?.headers["x-goog-user-project"]).toBe("billing-project");
  });

  describe("bad keys get clear errors that never echo the private key", () => {
    const secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRET";
    const cases: [string, unknown, RegExp][] = [
      ["not JSON", `{"private_key": "${secret}`, /is not JSON/],
      ["not an object", "[1,2]", /not a JSON object/],
      [
        "wrong type",
        { type: "authorized_user", private_key: secret },
        /type "authorized_user", expected "service_account"/,
      ],
      ["no email", { type: "service_account", private_key: secret }, /no client_email/],
      [
        "not PEM",
        { type: "service_account", client_email: "a@b", private_key: secret },
        /private_key of a@b is not a PEM PKCS#8 key/,
      ],
    ];
    it.each(cases)("%s", (_, input, message) => {
      let error: unknown;
      try {
        serviceAccountKey(input as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toMatch(message);
      expect(
        `${String(error)} ${JSON.stringify((error as ApiError).toJSON())} ${String((error as ApiError).cause)}`,
      ).not.toContain("SECRET");
    });

    it("a PEM that does not import fails on first use without quoting it", async () => {
      const provider = serviceAccountKey({
        type: "service_account",
        client_email: "a@b",
        private_key: `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`,
      });
      const error = (await provider.getAccessToken().catch((e: unknown) => e)) as ApiError;
      expect(error.message).toMatch(/not a valid RSA PKCS#8 key/);
      expect(error.cause).toBeUndefined();
      expect(String(error)).not.toContain("SECRET");
    });
  });
});

describe("metadata server", () => {
  it("asks the metadata server with Metadata-Flavor: Google and caches the answer", async () => {
    let issued = 0;
    const fake = await track(
      startTestServer((request, response) => {
        if (request.headers["metadata-flavor"] !== "Google") {
          response.writeHead(403);
          response.end("missing Metadata-Flavor");
          return;
        }
        issued += 1;
        sendJson(
          response,
          200,
          { access_token: `meta-${issued}`, expires_in: 3599, token_type: "Bearer" },
          { "metadata-flavor": "Google" },
        );
      }),
    );
    const provider = metadataServer({
      endpoint: fake.url,
      scopes: ["https://www.googleapis.com/auth/cloud-platform"],
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(["meta-1"]));
    const url = new URL(fake.requests[0]!.url, fake.url);
    expect(url.pathname).toBe("/computeMetadata/v1/instance/service-accounts/default/token");
    expect(url.searchParams.get("scopes")).toBe("https://www.googleapis.com/auth/cloud-platform");
  });

  it("an unreachable metadata server is UNAVAILABLE naming the source", async () => {
    const fake = await startTestServer(() => undefined);
    await fake.close();
    const error = (await metadataServer({ endpoint: fake.url })
      .getAccessToken()
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toMatch(/metadata server/);
  });
});

describe("static token", () => {
  it("a refused static token is UNAUTHENTICATED after one request (there is nothing to refresh)", async () => {
    const api = await track(jobRunServer(() => false));
    const client = createJobRunsClient({ endpoint: api.url, auth: staticToken("expired") });
    const error = (await client.getJobRun({ name: JOB_RUN }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).not.toContain("expired");
    expect(api.requests).toHaveLength(1);
  });

  it("is sent as it is, and an empty one is refused", async () => {
    expect(await staticToken("abc").getAccessToken()).toBe("abc");
    expect(() => staticToken("  ")).toThrow(/non-empty/);
  });
});
