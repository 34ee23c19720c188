import { createHash, createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hmacSha256, sha256 } from "../src/hash/sha256.js";
import { parseOrderBy } from "../src/order-by.js";
import { PageTokenCodec } from "../src/page-token.js";
import { thrownBy } from "./helpers.js";

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("sha256 and hmacSha256", () => {
  it("agree with node:crypto on random inputs of every length class", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 100 }), (data, key) => {
        expect(toHex(sha256(data))).toBe(createHash("sha256").update(data).digest("hex"));
        expect(toHex(hmacSha256(key, data))).toBe(createHmac("sha256", key).update(data).digest("hex"));
      }),
    );
  });
});

describe("PageTokenCodec", () => {
  const spec = parseOrderBy("createTime desc");
  const binding = {
    parent: "projects/p/locations/-/deliveryPipelines/-/releases/-/rollouts/-",
    filter: "state=FAILED",
    orderBy: "",
  };
  const cursor = [
    1735689600000.25,
    "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/x",
  ];
  const codec = new PageTokenCodec(randomBytes(32));

  it("round-trips a cursor", () => {
    expect(codec.decode(codec.encode(binding, cursor), binding, spec)).toEqual(cursor);
  });

  it("refuses every single-character change of a token", () => {
    const token = codec.encode(binding, cursor);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    for (let i = 0; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1 + (i % 60)) % alphabet.length]!;
      const forged = token.slice(0, i) + replacement + token.slice(i + 1);
      if (forged === token) continue;
      expect(thrownBy(() => codec.decode(forged, binding, spec)).code).toBe("INVALID_ARGUMENT");
    }
  });

  it("refuses a cursor edited and re-encoded without the key", () => {
    const [, mac] = codec.encode(binding, cursor).split(".");
    const body = Buffer.from(JSON.stringify({ v: 1, b: "x", c: [0, "a"] })).toString("base64url");
    expect(thrownBy(() => codec.decode(`${body}.${mac}`, binding, spec)).message).toContain(
      "not a page token this service issued",
    );
  });

  it("binds a token to parent, filter and orderBy", () => {
    const token = codec.encode(binding, cursor);
    for (const other of [
      { parent: "projects/q/locations/-/deliveryPipelines/-/releases/-/rollouts/-" },
      { filter: "" },
      { orderBy: "name" },
    ]) {
      const error = thrownBy(() => codec.decode(token, { ...binding, ...other }, spec));
      expect(error.message).toContain("different parent, filter or orderBy");
    }
  });

  it("issues a page asked for again the same token, and each codec its own (tokens are kept per key)", () => {
    const first = new PageTokenCodec("one");
    const second = new PageTokenCodec("two");
    const token = first.encode(binding, cursor);
    expect(first.encode(binding, cursor)).toBe(token);
    const other = second.encode(binding, cursor);
    expect(other).not.toBe(token);
    expect(second.decode(other, binding, spec)).toEqual(cursor);
    expect(thrownBy(() => second.decode(token, binding, spec)).code).toBe("INVALID_ARGUMENT");
    expect(
      first.encode(binding, [
        1735689600000.25,
        "projects/p/locations/l/deliveryPipelines/d/releases/r/rollouts/o/jobRuns/y",
      ]),
    ).not.toBe(token);
  });

  it("accepts tokens across emulators only when they share the secret", () => {
    const token = new PageTokenCodec("shared").encode(binding, cursor);
    expect(new PageTokenCodec("shared").decode(token, binding, spec)).toEqual(cursor);
    expect(thrownBy(() => new PageTokenCodec("other").decode(token, binding, spec)).code).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("asks a key function for the key once, when the first token is signed or checked", () => {
    const key = randomBytes(32);
    let calls = 0;
    const codec = new PageTokenCodec(() => {
      calls++;
      return key;
    });
    expect(calls).toBe(0);
    const token = codec.encode(binding, cursor);
    expect(calls).toBe(1);
    expect(new PageTokenCodec(key).decode(token, binding, spec)).toEqual(cursor);
    expect(codec.decode(new PageTokenCodec(key).encode(binding, [1, "b"]), binding, spec)).toEqual([1, "b"]);
    expect(calls).toBe(1);
  });
});
