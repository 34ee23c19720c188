// The small utilities every package takes from core instead of keeping its own copy.
import { ScalarType } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  BoundedMap,
  type Clock,
  constantTimeEqual,
  decodeBase64url,
  encodeBase64url,
  GOOGLE_ENDPOINT,
  isLoopback,
  parseRfc3339,
  quote,
  readStreamBounded,
  scalarJsonKind,
  scalarTypeName,
  sleep,
  systemClock,
  timestampPartsMs,
  truncate,
} from "../src/index.js";

describe("truncate and quote", () => {
  it("keep short text, and cut long text to the limit with an ellipsis", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcd", 3)).toBe("ab…");
    expect(truncate("abcd", 1)).toBe("…");
    expect(truncate("x".repeat(10_000), 200)).toHaveLength(200);
    expect(quote('a"b', 10)).toBe('"a\\"b"');
    expect(quote("abcdef", 4)).toBe('"abc…"');
  });
});

describe("parseRfc3339", () => {
  const agrees = [
    "2025-01-01T12:00:00Z",
    "2025-01-01T12:00:00.123456789Z",
    "2025-01-01T12:00:00.5Z",
    "1969-12-31T23:59:59.5Z",
    "2024-02-29T23:59:59.999Z",
    "2025-01-01T10:00:00+02:00",
    "2025-01-01T10:00:00-05:30",
    "0001-01-01T00:00:00Z",
    "0099-06-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z",
  ];
  it.each(agrees)("reads %s as Date.parse does, nanoseconds included", (text) => {
    const parts = parseRfc3339(text)!;
    expect(parts).toBeDefined();
    const ms = Date.parse(text);
    expect(parts.seconds).toBe(Math.floor(ms / 1000));
    const fraction = /\.(\d+)/.exec(text)?.[1] ?? "";
    expect(parts.nanos).toBe(Number(fraction.padEnd(9, "0")));
  });

  it("accepts lower-case t and z, as RFC 3339 allows", () => {
    expect(parseRfc3339("2025-01-01t12:00:00z")).toEqual(parseRfc3339("2025-01-01T12:00:00Z"));
  });

  it.each([
    "yesterday",
    "2025-01-01",
    "2025-01-01T12:00:00",
    "2025-01-01 12:00:00Z",
    "2025-02-29T00:00:00Z",
    "2025-04-31T00:00:00Z",
    "2025-01-01T24:00:00Z",
    "2016-12-31T23:59:60Z",
    "2025-01-01T00:00:00.Z",
    "2025-01-01T00:00:00.1234567891Z",
    "2025-01-01T00:00:00+24:00",
    "2025-01-01T00:00:00+0200",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
  ])("refuses %s", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it("gives milliseconds with the sub-millisecond fraction", () => {
    expect(timestampPartsMs(parseRfc3339("1970-01-01T00:00:01.0000005Z")!)).toBe(1000.0005);
    const timestamp = timestampFromMs(Date.UTC(2025, 0, 1));
    expect(parseRfc3339("2025-01-01T00:00:00Z")?.seconds).toBe(Number(timestamp.seconds));
  });
});

describe("BoundedMap", () => {
  it("keeps at most maxEntries, evicting the least recently set", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    map.set("a", 1); // used again: now the most recent
    map.set("c", 3);
    expect([map.has("a"), map.has("b"), map.has("c"), map.size]).toEqual([true, false, true, 2]);
    expect([...map.values()]).toEqual([1, 3]);
  });

  it("refuses a size below one", () => {
    expect(() => new BoundedMap(0)).toThrow(/at least 1/);
  });
});

describe("bytes, hosts, scalars and the endpoint", () => {
  it("compares bytes", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false);
  });

  it("knows loopback hosts", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"]) {
      expect(isLoopback(host)).toBe(true);
    }
    for (const host of ["0.0.0.0", "example.com", "127.example.com", "10.0.0.1", "::"]) {
      expect(isLoopback(host)).toBe(false);
    }
  });

  it("names scalar types and their JSON shapes", () => {
    expect(scalarTypeName(ScalarType.INT64)).toBe("int64");
    expect(scalarTypeName(ScalarType.BYTES)).toBe("bytes");
    expect(scalarJsonKind(ScalarType.SFIXED64)).toBe("int64");
    expect(scalarJsonKind(ScalarType.UINT32)).toBe("int32");
    expect(scalarJsonKind(ScalarType.FLOAT)).toBe("float");
  });

  it("points at Google", () => {
    expect(GOOGLE_ENDPOINT).toBe("https://clouddeploy.googleapis.com");
  });
});

describe("sleep on a Clock", () => {
  function manualClock(): Clock & { fire(): void } {
    let pending: (() => void) | undefined;
    return {
      now: () => 0,
      setTimeout(callback) {
        pending = callback;
        return 1;
      },
      clearTimeout() {
        pending = undefined;
      },
      fire() {
        pending?.();
      },
    };
  }

  it("resolves when the clock's timer fires", async () => {
    const clock = manualClock();
    const slept = sleep(clock, 1000);
    clock.fire();
    await expect(slept).resolves.toBeUndefined();
  });

  it("rejects with the signal's reason and clears its timer", async () => {
    const clock = manualClock();
    const controller = new AbortController();
    const slept = sleep(clock, 1000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(slept).rejects.toThrow("stop");
    clock.fire(); // cleared: nothing left to fire
    await expect(sleep(clock, 1, controller.signal)).rejects.toThrow("stop");
  });
});

describe("base64url", () => {
  it("round-trips and refuses non-canonical text", () => {
    // Random byte strings of every length up to 64 (every padding class), 20 of each.
    for (let length = 0; length <= 64; length += 1) {
      for (let round = 0; round < 20; round += 1) {
        const bytes = crypto.getRandomValues(new Uint8Array(length));
        const text = encodeBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(decodeBase64url(text)).toEqual(bytes);
      }
    }
    expect(decodeBase64url("AB")).toBeUndefined(); // leftover bits set: "AA" is the canonical form
    expect(decodeBase64url("A")).toBeUndefined();
    expect(decodeBase64url("a+b/")).toBeUndefined();
    expect(decodeBase64url("AA==")).toBeUndefined(); // padding
    expect(decodeBase64url("A A")).toBeUndefined(); // white space
  });
});

describe("systemClock", () => {
  it("waits a delay past setTimeout's 2^31 ms limit instead of firing at once", async () => {
    let fired = false;
    const handle = systemClock.setTimeout(
      () => {
        fired = true;
      },
      2 ** 31 + 5,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(false);
    systemClock.clearTimeout(handle);
  });

  it("fires an ordinary delay, and clearTimeout stops one", async () => {
    let fired = 0;
    systemClock.setTimeout(() => {
      fired += 1;
    }, 1);
    const cleared = systemClock.setTimeout(() => {
      fired += 10;
    }, 5);
    systemClock.clearTimeout(cleared);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(1);
  });
});

describe("readStreamBounded", () => {
  /** A stream of `chunks` chunks of `size` bytes that records whether it was cancelled and how far it was read. */
  function chunkedStream(chunks: number, size: number) {
    const seen = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (seen.pulled === chunks) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(seen.pulled % 256));
        seen.pulled++;
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return { stream, seen };
  }

  it("joins the chunks of a stream within the limit, byte for byte", async () => {
    const { stream } = chunkedStream(3, 4);
    const bytes = await readStreamBounded(stream, 12);
    expect(bytes && Array.from(bytes)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it("gives up and cancels the stream as soon as it passes the limit, without reading the rest", async () => {
    const { stream, seen } = chunkedStream(1000, 1024);
    expect(await readStreamBounded(stream, 10 * 1024)).toBeUndefined();
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(15);
  });

  it("passes a failed read on with the stream's own error", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    await expect(readStreamBounded(stream, 10)).rejects.toThrow("connection reset");
  });
});
