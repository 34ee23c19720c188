// The push verifier's key set: a long-running proxy fetches Google's keys when it starts, so the
// first push after a start does not wait for them; a Worker (prefetchKeys unset) fetches on demand.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPushVerifier } from "../src/watch/pubsub-token.js";
import { type Served, serveFetch } from "./support/serve.js";
import { until } from "./support/wait.js";

const AUDIENCE = "https://jobrun-proxy.example.com/pubsub/push";
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let jwks: Served;
let fetches = 0;

beforeAll(async () => {
  keys = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "google-1", alg: "RS256", use: "sig" };
  jwks = await serveFetch(() => {
    fetches += 1;
    return Response.json({ keys: [jwk] });
  });
});
afterEach(() => {
  fetches = 0;
  vi.restoreAllMocks();
});
afterAll(() => jwks.close());

const bearer = async () =>
  `Bearer ${await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: "google-1" })
    .setIssuer("https://accounts.google.com")
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(keys.privateKey)}`;

describe("the push verifier's keys", () => {
  it("with prefetchKeys, are fetched at once, and the first push uses them without another fetch", async () => {
    const verify = createPushVerifier({ audience: AUDIENCE, jwks: `${jwks.url}/certs`, prefetchKeys: true });
    await until(() => fetches === 1, "the key set to be fetched before any push");
    await verify(await bearer());
    expect(fetches).toBe(1);
  });

  it("without it, are fetched by the first push only", async () => {
    const verify = createPushVerifier({ audience: AUDIENCE, jwks: `${jwks.url}/certs` });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fetches).toBe(0);
    await verify(await bearer());
    expect(fetches).toBe(1);
  });

  it("when they cannot be fetched at start, a warning says so and a push fetches them again", async () => {
    const warnings: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => warnings.push(String(line)));
    let up = false;
    const flaky = await serveFetch(async () =>
      up ? fetch(`${jwks.url}/certs`) : new Response("down", { status: 503 }),
    );
    try {
      const verify = createPushVerifier({
        audience: AUDIENCE,
        jwks: `${flaky.url}/certs`,
        prefetchKeys: true,
      });
      await until(() => warnings.length > 0, "the warning");
      const warning = JSON.parse(warnings[0] as string) as Record<string, string>;
      expect(warning).toMatchObject({
        level: "warn",
        msg: "Pub/Sub push keys not fetched yet",
        url: `${flaky.url}/certs`,
      });
      expect(warning.reason).toBeTruthy();
      up = true;
      await expect(verify(await bearer())).resolves.toBeUndefined();
    } finally {
      await flaky.close();
    }
  });
});
