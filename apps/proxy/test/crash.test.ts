// Kill -9 at random moments while terminates are being acknowledged (issue 10.8): every terminate
// that got a 200 survives, and the data file always parses. 50 rounds here (CRASH_ROUNDS to change);
// `pnpm -F @jobrun/proxy bench:crash` runs many more. Set CRASH_SEED to replay a failing run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { killAll } from "./support/cli-process.js";
import { crashRounds } from "./support/crash-rounds.js";

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 50);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);

afterAll(() => killAll());

describe("jobrun-proxy --data under kill -9", () => {
  it(`keeps every acknowledged terminate over ${ROUNDS} kills (seed ${SEED})`, async () => {
    const result = await crashRounds({
      rounds: ROUNDS,
      dir: mkdtempSync(join(tmpdir(), "jobrun-proxy-crash-")),
      seed: SEED,
    });
    expect(result.unreadable).toEqual([]);
    expect(result.lost).toEqual([]);
    // The kills must land among the terminates, or the test proves nothing: some terminates of the
    // waves (beyond each round's first, sent alone) were answered, and some were cut off.
    expect(result.acknowledged).toBeGreaterThan(ROUNDS);
    expect(result.unanswered).toBeGreaterThan(0);
  }, 300_000);
});
