// Google mode hands Google's answers on unchanged in content. A fake Google on loopback serves the
// corpus (runs with fields and enum values newer than our schema, errors with details of their own);
// the proxy reaches it through the google backend's `upstream`. Every answer is compared byte for
// byte with what the fake sends for the same request, and authorization still decides first.
import { staticToken } from "@jobrun/client";
import {
  CORPUS_PARENT,
  CORPUS_PROJECT,
  corpusRunIds,
  corpusRunName,
  corpusRuns,
  createFakeGoogle,
  withEnumNumbers,
} from "@jobrun/conformance";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createGoogleBackend,
  createKeyStore,
  createProxy,
  hashApiKey,
  type ResponseCache,
} from "../src/index.js";
import { type Served, serveFetch } from "./support/serve.js";

const fake = createFakeGoogle();
let google: Served;
let proxy: Served;
const cached = new Map<string, Response>();
const cache: ResponseCache = {
  match: async (key) => cached.get(key)?.clone(),
  put: async (key, response) => {
    cached.set(key, response);
  },
};
const KEY = {
  operator: "jrp_fidelity_operator_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  reader: "jrp_fidelity_reader_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  other: "jrp_fidelity_other_cccccccccccccccccccccccccccccccc",
};

beforeAll(async () => {
  google = await serveFetch((request) => fake.fetch(request));
  const keys = createKeyStore([
    {
      id: "operator",
      hash: await hashApiKey(KEY.operator),
      role: "operator",
      scopes: [`projects/${CORPUS_PROJECT}`],
    },
    {
      id: "reader",
      hash: await hashApiKey(KEY.reader),
      role: "reader",
      scopes: [`projects/${CORPUS_PROJECT}`],
    },
    { id: "other", hash: await hashApiKey(KEY.other), role: "operator", scopes: ["projects/someone-else"] },
  ]);
  const backend = createGoogleBackend({
    auth: staticToken("ya29.proxy-own"),
    upstream: google.url,
    retry: false,
  });
  proxy = await serveFetch(createProxy({ backend, auth: { keys }, cache, log: false }).fetch);
});
afterAll(async () => {
  await proxy.close();
  await google.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  cached.clear();
});

async function call(base: string, path: string, init: RequestInit = {}, key: string = KEY.operator) {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string> | undefined) },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** The same request through the proxy and straight to the fake: the bodies must be the same bytes. */
async function throughBoth(path: string, init: RequestInit = {}) {
  const viaProxy = await call(proxy.url, path, init);
  const direct = await call(google.url, path, init);
  return { viaProxy, direct };
}

describe("google mode hands Google's answers on unchanged", () => {
  it.each(corpusRunIds)("get %s: the same bytes, newer fields and values included", async (id) => {
    const { viaProxy, direct } = await throughBoth(`/v1/${corpusRunName(id)}`);
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.bytes.equals(direct.bytes)).toBe(true);
    expect(JSON.parse(viaProxy.bytes.toString())).toEqual(corpusRuns[id]);
  });

  it("keeps analysisJobRun, verify metadata, workerPool, previousRevision and FUTURE_STATE", async () => {
    const get = async (id: string) =>
      JSON.parse((await call(proxy.url, `/v1/${corpusRunName(id)}`)).bytes.toString());
    expect((await get("analysis")).analysisJobRun.failedCheckId).toBe("latency");
    expect((await get("verify")).verifyJobRun.metadata.custom.values).toEqual({ tests: "112", flaky: "0" });
    const cloudRun = (await get("deploy")).deployJobRun.metadata.cloudRun;
    expect(cloudRun.workerPool).toMatch(/workerPools\/queue-workers$/);
    expect(cloudRun.previousRevision).toMatch(/revisions\/web-00041-xyz$/);
    const future = await get("future");
    expect(future.state).toBe("FUTURE_STATE");
    expect(future.deployJobRun.failureCause).toBe("FUTURE_DEPLOY_FAILURE");
  });

  it("forwards $alt: the caller asking for numbers gets Google's numbers, unknown ones too", async () => {
    const query = "?%24alt=json%3Benum-encoding%3Dint";
    const { viaProxy, direct } = await throughBoth(`/v1/${corpusRunName("future")}${query}`);
    expect(viaProxy.bytes.equals(direct.bytes)).toBe(true);
    const run = JSON.parse(viaProxy.bytes.toString());
    expect(run).toEqual(withEnumNumbers(corpusRuns.future!));
    expect(run.state).toBe(7);
    expect(fake.requests.at(-2)?.url.searchParams.get("$alt")).toBe("json;enum-encoding=int");
  });

  it("lists every corpus run as Google lists them, page tokens included", async () => {
    const { viaProxy, direct } = await throughBoth(`/v1/${CORPUS_PARENT}/jobRuns?pageSize=4`);
    expect(viaProxy.bytes.equals(direct.bytes)).toBe(true);
    const page = JSON.parse(viaProxy.bytes.toString());
    expect(page.jobRuns.map((r: { name: string }) => r.name)).toEqual(
      corpusRunIds.slice(0, 4).map(corpusRunName),
    );
    const rest = JSON.parse(
      (
        await call(proxy.url, `/v1/${CORPUS_PARENT}/jobRuns?pageSize=4&pageToken=${page.nextPageToken}`)
      ).bytes.toString(),
    );
    expect(rest.jobRuns).toEqual(corpusRunIds.slice(4).map((id) => corpusRuns[id]));
  });

  it("forwards fields, prettyPrint, quotaUser and $.xgafv, and Google applies them", async () => {
    const query =
      "?fields=jobRuns(name,analysisJobRun/failedCheckId),nextPageToken&prettyPrint=false&quotaUser=alice&%24.xgafv=2";
    const { viaProxy, direct } = await throughBoth(`/v1/${CORPUS_PARENT}/jobRuns${query}`);
    expect(viaProxy.bytes.equals(direct.bytes)).toBe(true);
    expect(viaProxy.bytes.toString()).not.toContain("\n");
    const sent = fake.requests[0]!.url.searchParams;
    expect(sent.get("fields")).toBe("jobRuns(name,analysisJobRun/failedCheckId),nextPageToken");
    expect(sent.get("prettyPrint")).toBe("false");
    expect(sent.get("quotaUser")).toBe("alice");
    expect(sent.get("$.xgafv")).toBe("2");
    const page = JSON.parse(viaProxy.bytes.toString());
    expect(page.jobRuns[0]).toEqual({
      name: corpusRunName("analysis"),
      analysisJobRun: { failedCheckId: "latency" },
    });
  });

  it("does not check fields against our schema in google mode: Google knows fields we do not", async () => {
    const response = await call(
      proxy.url,
      `/v1/${corpusRunName("deploy")}?fields=deployJobRun/metadata/cloudRun/workerPool`,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.bytes.toString())).toEqual({
      deployJobRun: {
        metadata: {
          cloudRun: {
            workerPool: `projects/${CORPUS_PROJECT}/locations/us-central1/workerPools/queue-workers`,
          },
        },
      },
    });
  });

  it("forwards alt=proto and hands the binary on with Google's content type", async () => {
    const { viaProxy, direct } = await throughBoth(`/v1/${corpusRunName("deploy")}?alt=proto`);
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.headers.get("content-type")).toBe("application/x-protobuf");
    expect(viaProxy.bytes.equals(direct.bytes)).toBe(true);
  });

  it("hands Google's errors on as sent: no ResourceInfo or ErrorInfo of ours added", async () => {
    const missing = corpusRunName("missing");
    const notFound = await throughBoth(`/v1/${missing}`);
    expect(notFound.viaProxy.status).toBe(404);
    expect(notFound.viaProxy.bytes.equals(notFound.direct.bytes)).toBe(true);
    expect(JSON.parse(notFound.viaProxy.bytes.toString()).error.details).toBeUndefined();

    const post = { method: "POST", body: "{}", headers: { "content-type": "application/json" } };
    const refused = await call(proxy.url, `/v1/${corpusRunName("deploy")}:terminate`, post);
    expect(refused.status).toBe(400);
    const error = JSON.parse(refused.bytes.toString()).error;
    expect(error.details.map((d: { "@type": string }) => d["@type"])).toEqual([
      "type.googleapis.com/google.rpc.ErrorInfo",
      "type.googleapis.com/google.rpc.LocalizedMessage",
      "type.googleapis.com/google.rpc.Help",
    ]);
    expect(error.details[0].reason).toBe("JOB_RUN_NOT_TERMINABLE");

    const denied = await call(proxy.url, `/v1/${corpusRunName("verify")}:terminate`, post);
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.bytes.toString()).error.details[0]).toMatchObject({
      reason: "IAM_PERMISSION_DENIED",
      domain: "iam.googleapis.com",
    });
  });

  it("terminates an in-progress run with Google's {}", async () => {
    const response = await call(proxy.url, `/v1/${corpusRunName("postdeploy")}:terminate`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.bytes.toString())).toEqual({});
  });
});

describe("ETags and the edge cache work on Google's bytes", () => {
  it("gives a finished run a strong ETag of the bytes sent, answers If-None-Match with 304, and caches it", async () => {
    const first = await call(proxy.url, `/v1/${corpusRunName("deploy")}`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers.get("cache-control")).toBe("private, max-age=300");
    const again = await call(proxy.url, `/v1/${corpusRunName("deploy")}`, {
      headers: { "if-none-match": etag! },
    });
    expect(again.status).toBe(304);
    // The second read came from the edge cache: Google was asked once.
    expect(fake.requests).toHaveLength(1);
    const compact = await call(proxy.url, `/v1/${corpusRunName("deploy")}?prettyPrint=false`);
    expect(compact.headers.get("etag")).not.toBe(etag);
    expect(fake.requests).toHaveLength(2);
  });

  it("gives no ETag to a run whose state it cannot call finished: unknown, in progress, or not selected", async () => {
    for (const path of [
      `/v1/${corpusRunName("future")}`,
      `/v1/${corpusRunName("postdeploy")}`,
      `/v1/${corpusRunName("deploy")}?fields=name`,
    ]) {
      const response = await call(proxy.url, path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("etag"), path).toBeNull();
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
    expect(cached.size).toBe(0);
  });
});

describe("authorization decides before anything is forwarded", () => {
  const post = { method: "POST", body: "{}", headers: { "content-type": "application/json" } };

  it("refuses a reader's terminate, an out-of-scope get and an override without the grant", async () => {
    expect(
      (await call(proxy.url, `/v1/${corpusRunName("postdeploy")}:terminate`, post, KEY.reader)).status,
    ).toBe(403);
    expect((await call(proxy.url, `/v1/${corpusRunName("deploy")}`, {}, KEY.other)).status).toBe(403);
    const override = {
      ...post,
      body: JSON.stringify({
        overrideDeployPolicy: [`projects/${CORPUS_PROJECT}/locations/us-central1/deployPolicies/freeze`],
      }),
    };
    expect((await call(proxy.url, `/v1/${corpusRunName("postdeploy")}:terminate`, override)).status).toBe(
      403,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a credential in the query and a bad request body without forwarding", async () => {
    expect((await call(proxy.url, `/v1/${corpusRunName("deploy")}?key=AIzaFAKE`)).status).toBe(400);
    expect((await call(proxy.url, `/v1/${corpusRunName("deploy")}?pageSize=3`)).status).toBe(400);
    const bad = { ...post, body: '{"colour":"red"}' };
    expect((await call(proxy.url, `/v1/${corpusRunName("postdeploy")}:terminate`, bad)).status).toBe(400);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends Google none of the caller's credentials, only its own", async () => {
    await call(proxy.url, `/v1/${corpusRunName("deploy")}`, {
      headers: { cookie: "session=caller", "x-goog-user-project": "theirs" },
    });
    const sent = fake.requests[0]!.headers;
    expect(sent.get("authorization")).toBe("Bearer ya29.proxy-own");
    expect(sent.get("cookie")).toBeNull();
    expect(sent.get("x-goog-user-project")).toBeNull();
  });
});

describe("scope checks on what Google answers (read leniently, bytes untouched)", () => {
  // An upstream that disregards the parent: it answers with a run of another project.
  const foreign = "projects/someone-else/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x";
  let rogue: Served;
  let guarded: Served;
  beforeAll(async () => {
    rogue = await serveFetch((request) => {
      const path = new URL(request.url).pathname;
      const own = { ...corpusRuns.deploy, futureField: { kept: true } };
      if (path.endsWith("/jobRuns")) {
        const list = path.includes("/rollouts/mixed/")
          ? [own, { name: foreign, state: "FUTURE_STATE" }]
          : [own];
        return Response.json({ jobRuns: list });
      }
      return Response.json(path.endsWith("/jobRuns/stray") ? { name: foreign, state: "SUCCEEDED" } : own);
    });
    const keys = createKeyStore([
      {
        id: "reader",
        hash: await hashApiKey(KEY.reader),
        role: "reader",
        scopes: [`projects/${CORPUS_PROJECT}`],
      },
    ]);
    const backend = createGoogleBackend({
      auth: staticToken("ya29.proxy-own"),
      upstream: rogue.url,
      retry: false,
    });
    guarded = await serveFetch(createProxy({ backend, auth: { keys }, log: false }).fetch);
  });
  afterAll(async () => {
    await guarded.close();
    await rogue.close();
  });
  const rollout = (id: string) =>
    `projects/${CORPUS_PROJECT}/locations/l/deliveryPipelines/d/releases/r/rollouts/${id}`;

  it("hands on an answer whose runs all lie inside the caller's scopes, unknown fields and all", async () => {
    const response = await call(guarded.url, `/v1/${rollout("clean")}/jobRuns`, {}, KEY.reader);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.bytes.toString()).jobRuns[0].futureField).toEqual({ kept: true });
  });

  it("refuses a page or a run from outside the caller's scopes, naming neither", async () => {
    for (const path of [`/v1/${rollout("mixed")}/jobRuns`, `/v1/${rollout("o")}/jobRuns/stray`]) {
      const response = await call(guarded.url, path, {}, KEY.reader);
      expect(response.status, path).toBe(403);
      const text = response.bytes.toString();
      expect(JSON.parse(text).error.details).toContainEqual(
        expect.objectContaining({ reason: "RESOURCE_OUT_OF_SCOPE", domain: "jobrun-proxy" }),
      );
      expect(text).not.toContain("someone-else");
    }
  });
});
