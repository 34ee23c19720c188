import { describe, expect, it } from "vitest";
import { timeOfDay } from "../src/format/time.js";

describe("the header's clock time", () => {
  it("reads as the local 24-hour clock toLocaleTimeString('en-GB') shows, midnight and noon included", () => {
    const day = new Date(2026, 2, 29).getTime();
    for (let hour = 0; hour < 24; hour++) {
      for (const ms of [day + hour * 3_600_000, day + hour * 3_600_000 + 7 * 60_000 + 5_000 + 999]) {
        expect(timeOfDay(ms)).toBe(new Date(ms).toLocaleTimeString("en-GB", { hour12: false }));
      }
    }
    expect(timeOfDay(new Date(2026, 0, 1, 0, 0, 0).getTime())).toBe("00:00:00");
    expect(timeOfDay(new Date(2026, 0, 1, 9, 5, 7).getTime())).toBe("09:05:07");
  });
});
