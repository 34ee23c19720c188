// Issue 13: what jobrun must do for real work — the context of every run, honest actions, links to
// the logs, messages that end, scope changes that keep the rows when refused.
import { create } from "@bufbuild/protobuf";
import { ApiError, type JobRun_State, JobRunSchema } from "@jobrun/core";
import { afterEach, describe, expect, it } from "vitest";
import { manyRuns, nameOf, ROLLOUT, sampleRuns } from "./support/fixtures.js";
import { type Harness, keys, startApp } from "./support/harness.js";

let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const selectedLine = (frame: string) => frame.split("\n").find((line) => line.startsWith("›")) ?? "";
const footer = (frame: string) => frame.split("\n").slice(-2).join("\n");
const type = (text: string) => text.split("");

describe("terminate, honestly", () => {
  it("a terminate sent without an answer is 'outcome unknown', then the run is read again", async () => {
    app = await startApp({
      runs: sampleRuns(),
      terminateDelayMs: 10_000,
      // The server applies the terminate, but its answer never arrives.
      terminate: (real) => async (request, options) => {
        await real(request, options);
        throw new ApiError("DEADLINE_EXCEEDED", "no answer within 15 s");
      },
    });
    await app.press("t", "y");
    expect(app.frame()).not.toContain("Cannot reach");
    expect(app.calls.get).toBe(1);
    // The re-read shows what the server did: the row stays TERMINATING, no flip back to IN_PROGRESS.
    expect(selectedLine(app.frame())).toContain("TERMINATING");
    expect(selectedLine(app.frame())).not.toContain("IN_PROGRESS");
    expect(app.frame()).toContain(
      "The terminate took effect: 00000000-0000-4000-8000-000000000001 is TERMINATING.",
    );
  });

  it("an unanswered terminate that the server did not apply says so after the re-read", async () => {
    app = await startApp({
      runs: sampleRuns(),
      terminate: () => async () => {
        throw new ApiError("UNAVAILABLE", "connection reset");
      },
    });
    await app.press("t", "y");
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
    expect(app.frame().replaceAll("\n", " ")).toMatch(/did not take effect: .* is still IN_PROGRESS/);
  });

  it("while the terminate is in flight the row says so", async () => {
    let answer = () => {};
    app = await startApp({
      runs: sampleRuns(),
      terminate: (real) => (request, options) =>
        new Promise((resolve, reject) => {
          answer = () => real(request, options).then(resolve, reject);
        }),
    });
    await app.pressOnly("t", "y");
    expect(selectedLine(app.frame())).toContain("TERMINATING…");
    expect(app.frame()).toContain(
      "Terminate of 00000000-0000-4000-8000-000000000001 sent; waiting for the answer…",
    );
    answer();
    await app.advance(0);
    expect(selectedLine(app.frame())).not.toContain("TERMINATING…");
    expect(selectedLine(app.frame())).toContain("TERMINATING");
  });

  it("the Terminating message ends once the run is TERMINATED", async () => {
    app = await startApp({ runs: sampleRuns(), terminateDelayMs: 2000 });
    await app.press("t", "y");
    expect(app.frame()).toContain("Terminating 00000000-0000-4000-8000-000000000001…");
    await app.advance(3100);
    expect(selectedLine(app.frame())).toContain("TERMINATED");
    expect(app.frame()).not.toContain("Terminating 0000");
    expect(footer(app.frame())).toContain("q quit");
  });

  it("a message ends by itself after a few seconds", async () => {
    app = await startApp({ runs: sampleRuns(), refreshSeconds: 0 });
    await app.press("c");
    expect(app.frame()).toContain("Copied the name to the clipboard.");
    await app.advance(5000);
    expect(app.frame()).not.toContain("Copied the name");
  });

  it("the dialog at 80 columns says which pipeline, release and rollout, without the list's keys under it", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 80, rows: 24 } });
    await app.press("t");
    const frame = app.frame();
    expect(frame).toContain("Where  pipeline web › release r1 › rollout r1-to-prod-0001 (us-central1)");
    expect(frame).toContain("Job    deploy in phase canary-25");
    expect(frame).toContain("y yes, terminate · n/Enter/Esc no, keep it running (default)");
    expect(frame).not.toContain("q quit");
  });

  it("t under --readonly says that it is off", async () => {
    app = await startApp({ runs: sampleRuns(), readonly: true });
    await app.press("t");
    expect(app.frame()).toContain("Read-only (--readonly): this key changes runs, so it is off.");
    expect(app.frame().split("\n")[0]).toMatch(/^\[read-only\] jobrun/);
  });
});

describe("scope changes", () => {
  it("a filter the server refuses keeps the previous rows and filter, and shows the error until a key", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press(":", ...type('filter state="FAILED"'), keys.enter);
    expect(app.state().runs).toHaveLength(1);
    await app.press(":", ...type("filter nosuchfield=1"), keys.enter);
    expect(app.state().serverFilter).toBe('state="FAILED"');
    expect(app.state().runs).toHaveLength(1);
    expect(app.frame()).not.toContain("nosuchfield=1 ·");
    // Still there after the next refresh (of the previous filter), which works.
    await app.advance(3100);
    expect(app.frame()).toMatch(/The server refused the request: .*nosuchfield/);
  });

  it(":rollout - returns to every rollout of the starting scope", async () => {
    const other =
      "projects/acme/locations/us-central1/deliveryPipelines/api/releases/r9/rollouts/r9-to-dev-0001";
    app = await startApp({ runs: [...sampleRuns(), { ...manyRuns(1)[0], name: nameOf(77, other) }] });
    await app.press(":", ...type(`rollout ${ROLLOUT}`), keys.enter);
    expect(app.state().runs).toHaveLength(5);
    await app.press(":", ...type("rollout -"), keys.enter);
    expect(app.state().parent).toBe("projects/acme/locations/-/deliveryPipelines/-/releases/-/rollouts/-");
    expect(app.state().runs).toHaveLength(6);
  });

  it("an unknown :command stays on screen past the next refresh", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press(":", ...type("frobnicate"), keys.enter);
    await app.advance(3100);
    expect(app.frame()).toContain('Unknown command ":frobnicate"');
  });

  it("the header shows the scope as a breadcrumb, and a sort indicator on the sorted column", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 160, rows: 20 }, parent: ROLLOUT });
    expect(app.frame().split("\n")[0]).toContain(
      "jobrun · test · acme › us-central1 › pipeline web › release r1 › rollout r1-to-prod-0001",
    );
    expect(app.frame()).toMatch(/AGE↓/);
    await app.press("J");
    expect(app.frame()).toMatch(/JOB↑/);
    expect(app.frame()).not.toMatch(/AGE↓/);
  });

  it("/ says how many of the loaded runs match", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", ...type("verify"), keys.enter);
    expect(app.frame().split("\n")[1]).toMatch(/^1 of 5 runs/);
  });

  it("G offers to load every page and shows the count while it loads", async () => {
    app = await startApp({ runs: manyRuns(2500), size: { columns: 100, rows: 20 } });
    await app.press("G");
    expect(app.frame()).toContain("G again loads every page");
    await app.press("G");
    expect(app.state().runs).toHaveLength(2500);
    expect(app.state().nextPageToken).toBe("");
    expect(app.frame().split("\n")[1]).toMatch(/^2500 runs/);
  });
});

describe("details", () => {
  it("show where the run belongs on its own lines, the full name wrapped, and links to the rollout and build log", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 80, rows: 50 } });
    await app.press(keys.enter);
    const frame = app.frame();
    for (const [label, value] of [
      ["Project", "acme"],
      ["Location", "us-central1"],
      ["Pipeline", "web"],
      ["Release", "r1"],
      ["Rollout", "r1-to-prod-0001"],
      ["Phase ID", "canary-25"],
      ["Job ID", "deploy"],
      ["ID", "00000000-0000-4000-8000-000000000001"],
    ]) {
      expect(frame).toMatch(new RegExp(`^${label}\\s+${value}$`, "m"));
    }
    // The name is longer than the line: it continues, never cut.
    const nameLines = frame.split("\n").filter((l) => l.startsWith("Name") || /^ {20}\S/.test(l));
    expect(nameLines.map((l) => l.slice(20)).join("")).toContain(nameOf(1));
    expect(frame.replace(/\n {20}/g, "")).toContain(
      "https://console.cloud.google.com/cloud-build/builds;region=us-central1/b-1?project=123",
    );
    expect(frame.replace(/\n {20}/g, "")).toContain(
      "https://console.cloud.google.com/deploy/delivery-pipelines/us-central1/web/releases/r1/rollouts/r1-to-prod-0001?project=acme",
    );
    expect(frame).toMatch(/Created\s+2025-01-01 \d\d:59:00 \(UTC[+-]\d\d:\d\d\) · 2025-01-01T11:59:00.000Z/);
  });

  it("the duration of a running run counts on while the details are open", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 100, rows: 40 }, refreshSeconds: 0 });
    await app.press(keys.enter);
    expect(app.frame()).toMatch(/Duration\s+55s/);
    await app.advance(2000);
    expect(app.frame()).toMatch(/Duration\s+57s/);
  });

  it("l opens the build log and o the rollout in the browser; without one they copy the URL", async () => {
    const opened: string[] = [];
    app = await startApp({
      runs: sampleRuns(),
      browser: async (url) => {
        opened.push(url);
        return { opened: true, how: "xdg-open" };
      },
    });
    await app.press("l");
    expect(opened[0]).toBe(
      "https://console.cloud.google.com/cloud-build/builds;region=us-central1/b-1?project=123",
    );
    expect(app.frame()).toContain("Opened the build log in the browser (xdg-open).");
    app.unmount();
    app = await startApp({ runs: sampleRuns() });
    await app.press("l");
    expect(app.copied[0]).toBe(
      "https://console.cloud.google.com/cloud-build/builds;region=us-central1/b-1?project=123",
    );
    expect(app.frame()).toContain(
      "No browser to open (no browser in tests): copied the build log's URL to the clipboard.",
    );
    await app.press("j", "j", "j", "l");
    expect(app.frame()).toContain("no build log to open");
  });
});

describe("small things", () => {
  it("a state newer than the schema shows as its number, never a crash", async () => {
    app = await startApp({ runs: [], size: { columns: 100, rows: 20 }, refreshSeconds: 0 });
    // As @jobrun/client hands it over from a newer API (it asks for numeric enums).
    const newer = create(JobRunSchema, { name: nameOf(9), jobId: "deploy", state: 7 as JobRun_State });
    app.store.dispatch({
      type: "loaded",
      runs: [newer],
      nextPageToken: "",
      atMs: app.clock.now(),
      append: false,
    });
    await app.advance(0);
    expect(selectedLine(app.frame())).toContain("STATE_7");
    await app.press(keys.enter);
    expect(app.frame()).toMatch(/State\s+STATE_7/);
  });

  it("durations under a second read 0s, as ages do, not 999ms", async () => {
    const quick = {
      ...sampleRuns()[2],
      startTime: "2025-01-01T11:00:00.000Z",
      endTime: "2025-01-01T11:00:00.999Z",
    };
    app = await startApp({ runs: [quick], size: { columns: 160, rows: 20 } });
    expect(selectedLine(app.frame())).not.toContain("ms");
    expect(selectedLine(app.frame())).toMatch(/2h 00m\s+0s/);
  });

  it("help fits 80 columns: long descriptions continue on the next line", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 80, rows: 100 } });
    await app.press("?");
    const frame = app.frame().split("\n").slice(2).join("\n");
    for (const line of frame.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).not.toContain("…");
    expect(frame.replace(/\n {32}/g, " ")).toContain(
      "open the log of the run's Cloud Build (copies the URL without a browser)",
    );
  });

  it("the footer takes one line, so the list has no blank line under it", async () => {
    app = await startApp({ runs: manyRuns(60), size: { columns: 100, rows: 20 } });
    const lines = app.frame().split("\n");
    expect(lines).toHaveLength(19);
    expect(lines[17]).toMatch(/job-00014/);
    expect(lines[18]).toContain("q quit");
  });
});
