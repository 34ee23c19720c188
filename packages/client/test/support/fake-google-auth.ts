import { exportPKCS8, generateKeyPair, type JWTPayload, jwtVerify } from "jose";
import { sendJson, startTestServer, type TestServer } from "./http-server.js";

/** A fresh RSA key pair and a service-account key file around it, as IAM hands them out. */
export async function makeServiceAccountKey(tokenUri: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const pem = await exportPKCS8(privateKey);
  const keyFile = {
    type: "service_account" as const,
    project_id: "demo",
    private_key_id: "key-1",
    private_key: pem,
    client_email: "deployer@demo.iam.gserviceaccount.com",
    client_id: "1234",
    token_uri: tokenUri,
  };
  return { publicKey, pem, keyFile };
}

export interface FakeTokenEndpoint extends TestServer {
  /** The verified claims of each assertion received. */
  readonly assertions: JWTPayload[];
  readonly headers: Record<string, unknown>[];
  readonly tokensIssued: number;
}

/**
 * Google's OAuth token endpoint, locally: it checks each JWT-bearer assertion with the public key
 * (signature, issuer, audience, expiry) and hands out numbered tokens.
 */
export async function startFakeTokenEndpoint(options: {
  publicKey?: CryptoKey;
  delayMs?: number;
  expiresIn?: number;
}): Promise<FakeTokenEndpoint> {
  const state = { assertions: [] as JWTPayload[], headers: [] as Record<string, unknown>[], tokensIssued: 0 };
  let self: TestServer;
  const server = await startTestServer(async (request, response) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const form = new URLSearchParams(request.body);
    if (form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      try {
        const { payload, protectedHeader } = await jwtVerify(
          form.get("assertion") ?? "",
          options.publicKey!,
          {
            issuer: "deployer@demo.iam.gserviceaccount.com",
            audience: `${self.url}/token`,
            algorithms: ["RS256"],
          },
        );
        state.assertions.push(payload);
        state.headers.push(protectedHeader);
      } catch (error) {
        sendJson(response, 400, { error: "invalid_grant", error_description: (error as Error).message });
        return;
      }
    } else if (form.get("grant_type") !== "refresh_token") {
      sendJson(response, 400, { error: "unsupported_grant_type" });
      return;
    }
    state.tokensIssued += 1;
    sendJson(response, 200, {
      access_token: `ya29.token-${state.tokensIssued}`,
      expires_in: options.expiresIn ?? 3599,
      token_type: "Bearer",
    });
  });
  self = server;
  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    assertions: state.assertions,
    headers: state.headers,
    get tokensIssued() {
      return state.tokensIssued;
    },
  };
}
