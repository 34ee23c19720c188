import type { ServerResponse } from "node:http";
import { exportPKCS8, generateKeyPair, type JWTPayload, jwtVerify } from "jose";
import { type SeenRequest, sendJson, startTestServer, type TestServer } from "./http-server.js";

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

/** The refresh-token grant the fake accepts: a user's credentials as gcloud writes them. */
export const USER_CREDENTIALS = {
  client_id: "764086051850-user.apps.googleusercontent.com",
  client_secret: "d-FL95Q19q7MQmFpd7hHD0Ty-user-secret",
  refresh_token: "1//0refresh-token-user-secret",
} as const;

export interface FakeStsOptions {
  /** The workload identity pool provider (or workforce pool) the fake serves. */
  readonly audience: string;
  readonly subjectTokenType: string;
  /** Subject tokens the fake trusts. Tests add the rotated one. */
  readonly subjectTokens: Set<string>;
  /** When set, STS requires HTTP Basic client authentication with these. */
  readonly client?: { readonly id: string; readonly secret: string };
}

export interface FakeSubjectTokenOptions {
  /** The token served; tests change it to rotate. */
  token: string;
  readonly format: "text" | "json";
  /** The JSON field holding the token (format json). */
  readonly field?: string;
  /** Headers the request must carry, as Azure's IMDS requires `Metadata: True`. */
  readonly requiredHeaders?: Readonly<Record<string, string>>;
}

export interface FakeGoogleAuth extends TestServer {
  /** The verified claims of each JWT-bearer assertion received. */
  readonly assertions: JWTPayload[];
  readonly headers: Record<string, unknown>[];
  /** OAuth tokens issued (JWT-bearer and refresh-token grants). */
  readonly tokensIssued: number;
  /** The form of each STS token exchange. */
  readonly exchanges: Record<string, string>[];
  /** The authorization header of each STS request. */
  readonly exchangeAuthorizations: (string | undefined)[];
  /** Each generateAccessToken call: the target, the caller's token and the body. */
  readonly impersonations: { serviceAccount: string; bearer: string; body: Record<string, unknown> }[];
  /** How many times the subject token was fetched. */
  readonly subjectTokenFetches: number;
  /** The URL of the STS endpoint: `${url}/v1/token`. */
  readonly stsUrl: string;
  /** generateAccessToken's URL for a service account. */
  impersonationUrl(serviceAccount: string): string;
}

/**
 * Google's auth endpoints, locally, strict about what they accept as the real ones are:
 * - `POST /token`, the OAuth token endpoint: JWT-bearer assertions checked with the public key
 *   (signature, issuer, audience, expiry), and refresh-token grants of USER_CREDENTIALS;
 * - `POST /v1/token`, STS: RFC 8693 token exchange of a trusted subject token for the configured
 *   audience and subject token type (and client authentication, when configured);
 * - `POST /v1/projects/-/serviceAccounts/<email>:generateAccessToken`, IAM Credentials: only with a
 *   token this fake issued with the cloud-platform scope;
 * - `GET /subject-token`: a workload's subject token, as text or JSON, behind required headers.
 */
export async function startFakeGoogleAuth(
  options: {
    publicKey?: CryptoKey;
    delayMs?: number;
    expiresIn?: number;
    sts?: FakeStsOptions;
    subjectToken?: FakeSubjectTokenOptions;
  } = {},
): Promise<FakeGoogleAuth> {
  const state = {
    assertions: [] as JWTPayload[],
    headers: [] as Record<string, unknown>[],
    tokensIssued: 0,
    exchanges: [] as Record<string, string>[],
    exchangeAuthorizations: [] as (string | undefined)[],
    impersonations: [] as FakeGoogleAuth["impersonations"],
    subjectTokenFetches: 0,
  };
  // Every token handed out, with the scopes it carries: IAM accepts only these.
  const issued = new Map<string, string[]>();
  let issuedCount = 0;
  const issue = (prefix: string, scopes: string[]) => {
    issuedCount += 1;
    const token = `ya29.${prefix}-${issuedCount}`;
    issued.set(token, scopes);
    return token;
  };
  let self: TestServer;

  const oauth = async (request: SeenRequest, response: ServerResponse) => {
    const form = new URLSearchParams(request.body);
    let scopes = ["https://www.googleapis.com/auth/cloud-platform"];
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
        scopes = String(payload.scope ?? "").split(" ");
      } catch (error) {
        sendJson(response, 400, { error: "invalid_grant", error_description: (error as Error).message });
        return;
      }
    } else if (form.get("grant_type") === "refresh_token") {
      if (
        form.get("client_id") !== USER_CREDENTIALS.client_id ||
        form.get("client_secret") !== USER_CREDENTIALS.client_secret ||
        form.get("refresh_token") !== USER_CREDENTIALS.refresh_token
      ) {
        sendJson(response, 400, { error: "invalid_grant", error_description: "Bad Request" });
        return;
      }
    } else {
      sendJson(response, 400, { error: "unsupported_grant_type" });
      return;
    }
    state.tokensIssued += 1;
    // The first tokens keep the names existing tests know: ya29.token-1, ya29.token-2, …
    const token = `ya29.token-${state.tokensIssued}`;
    issued.set(token, scopes);
    sendJson(response, 200, {
      access_token: token,
      expires_in: options.expiresIn ?? 3599,
      token_type: "Bearer",
    });
  };

  const sts = (request: SeenRequest, response: ServerResponse) => {
    const config = options.sts;
    const form = Object.fromEntries(new URLSearchParams(request.body));
    state.exchanges.push(form);
    state.exchangeAuthorizations.push(request.headers.authorization);
    const refuse = (error: string, description: string) =>
      sendJson(response, 400, { error, error_description: description });
    if (config === undefined) return refuse("invalid_request", "no workload identity pool configured");
    if (form.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange")
      return refuse("unsupported_grant_type", "grant_type");
    if (form.requested_token_type !== "urn:ietf:params:oauth:token-type:access_token")
      return refuse("invalid_request", "requested_token_type");
    if (form.audience !== config.audience)
      return refuse("invalid_target", "The target service indicated by the audience is invalid");
    if (form.subject_token_type !== config.subjectTokenType)
      return refuse("invalid_request", "subject_token_type");
    if (!form.scope) return refuse("invalid_scope", "scope is required");
    if (config.client !== undefined) {
      const expected = `Basic ${Buffer.from(`${config.client.id}:${config.client.secret}`).toString("base64")}`;
      if (request.headers.authorization !== expected) {
        sendJson(response, 401, {
          error: "invalid_client",
          error_description: "client authentication failed",
        });
        return;
      }
    }
    if (!config.subjectTokens.has(form.subject_token ?? "")) {
      return refuse("invalid_grant", "The subject token is invalid or expired");
    }
    sendJson(response, 200, {
      access_token: issue("sts", form.scope.split(" ")),
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 3600,
    });
  };

  const iam = (request: SeenRequest, response: ServerResponse, serviceAccount: string) => {
    const status = (code: number, name: string, message: string) =>
      sendJson(response, code, { error: { code, message, status: name } });
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return status(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    state.impersonations.push({ serviceAccount, bearer, body });
    const scopes = issued.get(bearer);
    if (scopes === undefined)
      return status(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    if (!scopes.some((s) => /\/auth\/(cloud-platform|iam)$/.test(s)))
      return status(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.");
    if (!Array.isArray(body.scope) || body.scope.length === 0)
      return status(400, "INVALID_ARGUMENT", "Scope is required.");
    const lifetime = /^(\d+)s$/.exec(String(body.lifetime ?? "3600s"));
    if (lifetime === null) return status(400, "INVALID_ARGUMENT", "Invalid lifetime.");
    const delegates = (body.delegates ?? []) as unknown[];
    if (!delegates.every((d) => typeof d === "string" && d.startsWith("projects/-/serviceAccounts/")))
      return status(400, "INVALID_ARGUMENT", "Invalid form of delegates.");
    if (serviceAccount.startsWith("denied@"))
      return status(
        403,
        "PERMISSION_DENIED",
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      );
    sendJson(response, 200, {
      accessToken: issue(`impersonated-${serviceAccount.split("@")[0]}`, body.scope as string[]),
      expireTime: new Date(Date.now() + Number(lifetime[1]) * 1000).toISOString(),
    });
  };

  const subject = (request: SeenRequest, response: ServerResponse) => {
    const config = options.subjectToken;
    state.subjectTokenFetches += 1;
    if (config === undefined) return sendJson(response, 404, {});
    for (const [name, value] of Object.entries(config.requiredHeaders ?? {})) {
      if (request.headers[name.toLowerCase()] !== value) {
        response.writeHead(400, { "content-type": "text/plain" });
        response.end(`missing header ${name}`);
        return;
      }
    }
    if (config.format === "json") {
      sendJson(response, 200, { [config.field ?? "access_token"]: config.token, expires_in: 3600 });
      return;
    }
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(config.token);
  };

  const server = await startTestServer(async (request, response) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const path = new URL(request.url, "http://fake").pathname;
    const impersonation = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(path);
    if (request.method === "POST" && path === "/v1/token") return sts(request, response);
    if (request.method === "POST" && impersonation !== null)
      return iam(request, response, decodeURIComponent(impersonation[1]!));
    if (request.method === "GET" && path === "/subject-token") return subject(request, response);
    return oauth(request, response);
  });
  self = server;
  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    assertions: state.assertions,
    headers: state.headers,
    exchanges: state.exchanges,
    exchangeAuthorizations: state.exchangeAuthorizations,
    impersonations: state.impersonations,
    get tokensIssued() {
      return state.tokensIssued;
    },
    get subjectTokenFetches() {
      return state.subjectTokenFetches;
    },
    stsUrl: `${server.url}/v1/token`,
    impersonationUrl: (serviceAccount) =>
      `${server.url}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
  };
}
