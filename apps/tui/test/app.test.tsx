import { afterEach, describe, expect, it } from "vitest";
import { manyRuns, nameOf, sampleRuns } from "./support/fixtures.js";
import { type Harness, keys, startApp } from "./support/harness.js";

let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

/** The list line of the selected row (marked with "›"). */
const selectedLine = (frame: string) => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

describe("list view", () => {
  it("shows one row per run with state word and glyph, pipeline, release, rollout, phase, job, kind, age, duration and failure", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 160, rows: 20 } });
    const frame = app.frame();
    expect(frame).toMatch(
      /STATE\s+PIPELINE\s+RELEASE\s+ROLLOUT\s+PHASE\s+JOB\s+KIND\s+AGE↓\s+DURATION\s+FAILURE/,
    );
    // KIND only where it says more than JOB: a job "deploy" of kind deploy leaves it blank.
    expect(frame).toMatch(
      /› [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] IN_PROGRESS\s+web\s+r1\s+r1-to-prod-0001\s+canary-25\s+deploy\s+1m 00s\s+55s/,
    );
    expect(frame).toMatch(
      /✗ FAILED\s+web\s+r1\s+r1-to-prod-0001\s+stable\s+verify\s+1h 00m\s+1m 30s\s+VERIFICATION_CONFIG_NOT_FOUND/,
    );
    expect(frame).toMatch(/✓ SUCCEEDED\s+web\s+r1\s+r1-to-prod-0001\s+stable\s+predeploy\s+2h 00m/);
    expect(frame).toMatch(/✓ SUCCEEDED\s+web\s+r1\s+r1-to-prod-0001\s+stable\s+create-child\s+child-create/);
    expect(frame).toMatch(/■ TERMINATED\s+web.*postdeploy/);
  });

  it("counts runs per state in the header and says when it refreshed", async () => {
    app = await startApp({ runs: sampleRuns() });
    const header = app.frame().split("\n")[1] ?? "";
    expect(header).toMatch(/^5 runs/);
    expect(header).toContain("1 IN_PROGRESS");
    expect(header).toContain("2 SUCCEEDED");
    expect(header).toContain("1 FAILED");
    expect(header).toContain("1 TERMINATED");
    expect(header).toMatch(/updated \d\d:\d\d:\d\d/);
  });

  it("keeps state, pipeline, rollout, job and age at 80 columns, dropping the less important ones", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 80, rows: 20 } });
    const frame = app.frame();
    expect(frame).toMatch(/^ {2}STATE\s+PIPELINE\s+ROLLOUT\s+JOB\s+AGE↓$/m);
    expect(frame).toMatch(/✗ FAILED\s+web\s+r1-to-prod-0001\s+verify\s+1h 00m/);
    for (const gone of ["KIND", "RELEASE", "PHASE", "DURATION"]) expect(frame).not.toContain(gone);
    for (const line of frame.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("drops the least important columns on a narrow terminal, keeping the state", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 50, rows: 20 } });
    const frame = app.frame();
    expect(frame).toContain("STATE");
    expect(frame).toContain("PIPELINE");
    expect(frame).not.toContain("ROLLOUT");
    expect(frame).not.toContain("PHASE");
    for (const line of frame.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
  });

  it("widens the columns whose text is cut when there is room", async () => {
    const long =
      "projects/acme/locations/us-central1/deliveryPipelines/storefront-web-frontend/releases/release-2025-01-01-abcdef/rollouts/release-2025-01-01-abcdef-to-production-0001";
    const runs = sampleRuns().map((run, i) => ({
      ...run,
      name: nameOf(i + 1, long),
      jobId: `${run.jobId}-with-a-long-job-id`,
    }));
    app = await startApp({ runs, size: { columns: 80, rows: 20 } });
    expect(app.frame()).not.toContain("release-2025-01-01-abcdef-to-production-0001");
    app.unmount();
    app = await startApp({ runs, size: { columns: 200, rows: 20 } });
    const row = selectedLine(app.frame());
    expect(row).toContain("storefront-web-frontend");
    expect(row).toContain("release-2025-01-01-abcdef-to-production-0001");
    expect(row).toContain("deploy-with-a-long-job-id");
  });

  it("renders only the rows that fit and loads more pages as the cursor nears the end", async () => {
    app = await startApp({ runs: manyRuns(250), size: { columns: 100, rows: 20 } });
    expect(app.state().runs).toHaveLength(100);
    expect(app.frame().split("\n")).toHaveLength(19);
    expect(app.frame()).toContain("job-00000");
    expect(app.frame()).not.toContain("job-00020");
    await app.press("G");
    expect(app.state().runs.length).toBeGreaterThan(100);
    await app.press("G", "G");
    expect(app.state().runs).toHaveLength(250);
    expect(app.state().nextPageToken).toBe("");
    await app.press("G");
    expect(selectedLine(app.frame())).toContain("job-00249");
  });

  it("moves with j/k, arrows, g/G and PgUp/PgDn", async () => {
    app = await startApp({ runs: manyRuns(60), size: { columns: 100, rows: 20 } });
    await app.press("j", "j", keys.down);
    expect(selectedLine(app.frame())).toContain("job-00003");
    await app.press("k", keys.up);
    expect(selectedLine(app.frame())).toContain("job-00001");
    await app.press(keys.pageDown);
    // A page is the body's 15 rows (20 lines less the header, titles, footer and Ink's last line).
    expect(selectedLine(app.frame())).toContain("job-00016");
    await app.press(keys.pageUp);
    expect(selectedLine(app.frame())).toContain("job-00001");
    await app.press("G");
    expect(selectedLine(app.frame())).toContain("job-00059");
    await app.press("g");
    expect(selectedLine(app.frame())).toContain("job-00000");
  });

  it("keeps the selection on the same run (by name) when a refresh reorders the list", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("j"); // the FAILED verify
    expect(selectedLine(app.frame())).toContain("FAILED");
    // A newer run appears at the top; the selection must stay on the FAILED run, now third.
    app.emulator.importJobRuns({
      jobRuns: [{ ...manyRuns(1)[0], name: nameOf(99), createTime: new Date(app.clock.now()).toISOString() }],
    });
    await app.press("r");
    expect(app.state().cursor).toBe(2);
    expect(selectedLine(app.frame())).toContain("FAILED");
  });
});

describe("details view", () => {
  it("Enter shows every field and the job-kind section; Esc goes back", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 200, rows: 40 } });
    await app.press(keys.enter);
    const frame = app.frame();
    expect(frame).toContain(nameOf(1));
    expect(frame).toMatch(/State\s+IN_PROGRESS/);
    expect(frame).toMatch(/Kind\s+Deploy/);
    expect(frame).toMatch(/Phase ID\s+canary-25/);
    expect(frame).toMatch(/Build\s+projects\/123\/locations\/us-central1\/builds\/b-1/);
    expect(frame).toMatch(/Artifact URI\s+gs:\/\/artifacts\/web\/r1/);
    expect(frame).toMatch(/Manifest paths\s+prod\/manifest.yaml/);
    expect(frame).toMatch(/Cloud Run service\s+projects\/acme\/locations\/us-central1\/services\/web/);
    expect(frame).toMatch(/Service URLs\s+https:\/\/web-abc.a.run.app/);
    expect(frame).toMatch(/Revision\s+web-00042-xyz/);
    expect(frame).toMatch(/Custom metadata\s+team=storefront/);
    await app.press(keys.escape);
    expect(app.frame()).toContain("STATE");
    expect(app.state().view).toBe("list");
  });

  it("shows the failure cause, its explanation and the failure message", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 120, rows: 40 } });
    await app.press("j", keys.enter);
    const frame = app.frame();
    expect(frame).toMatch(/Event log path\s+events.log/);
    expect(frame).toMatch(/Cause\s+VERIFICATION_CONFIG_NOT_FOUND/);
    expect(frame).toContain("No verify section was found in the Skaffold configuration.");
    expect(frame).toMatch(/Message\s+skaffold.yaml has no verify stanza/);
  });

  it("shows the child rollout and its phase for child-rollout jobs", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 140, rows: 40 } });
    await app.press("j", "j", "j", keys.enter);
    expect(app.frame()).toMatch(/Child rollout\s+projects\/acme\/.*r1-to-prod-0001-child/);
    expect(app.frame()).toMatch(/Child rollout phase\s+stable/);
  });
});

describe("help", () => {
  it("? lists the keys from the keymap, and the commands", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 100, rows: 60 } });
    await app.press("?");
    const frame = app.frame();
    expect(frame).toMatch(/j ↓\s+next row/);
    expect(frame).toMatch(/t ctrl-d\s+terminate the selected IN_PROGRESS run/);
    expect(frame).toMatch(/r ctrl-r\s+refresh now/);
    expect(frame).toContain(":filter <AIP-160 expression>");
    expect(frame).toContain(":sort <field> [desc]");
    await app.press(keys.escape);
    expect(app.state().view).toBe("list");
  });

  it("with --readonly, help does not offer terminate", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 100, rows: 60 }, readonly: true });
    await app.press("?");
    expect(app.frame()).not.toContain("terminate");
  });
});

describe("filtering and sorting", () => {
  it("/ filters the loaded rows live; Esc clears the filter", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", "v", "e", "r");
    expect(app.frame()).toContain("/ver█");
    expect(app.frame()).toContain("FAILED");
    expect(app.frame()).not.toContain("predeploy");
    await app.press(keys.enter);
    expect(app.state().textFilter).toBe("ver");
    await app.press("/", keys.escape);
    expect(app.state().textFilter).toBe("");
    expect(app.frame()).toContain("predeploy");
  });

  it(":filter sends an AIP-160 filter to the server", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 160, rows: 20 } });
    await app.press(":", ...'filter state="SUCCEEDED"'.split(""), keys.enter);
    expect(app.state().serverFilter).toBe('state="SUCCEEDED"');
    expect(app.state().runs).toHaveLength(2);
    expect(app.frame()).toContain('filter state="SUCCEEDED"');
    expect(app.frame()).not.toContain("FAILED");
  });

  it("a filter the server refuses is shown as a readable message", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press(":", ..."filter nosuchfield=1".split(""), keys.enter);
    expect(app.frame()).toMatch(/The server refused the request: .*nosuchfield/);
  });

  it("sort keys order on the server and pressing again reverses", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 120, rows: 20 } });
    await app.press("J");
    expect(app.state().sort).toEqual({ field: "jobId", descending: false });
    expect(selectedLine(app.frame())).toContain("create-child");
    await app.press("J");
    expect(app.state().sort).toEqual({ field: "jobId", descending: true });
    expect(selectedLine(app.frame())).toContain("verify");
  });

  it(":sort takes a field and a direction and refuses unknown fields", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press(":", ..."sort age".split(""), keys.enter);
    expect(app.state().sort).toEqual({ field: "createTime", descending: false });
    expect(selectedLine(app.frame())).toContain("TERMINATED");
    await app.press(":", ..."sort colour".split(""), keys.enter);
    expect(app.frame()).toContain('Cannot sort by "colour"');
  });

  it(":rollout narrows the scope to one rollout", async () => {
    const other =
      "projects/acme/locations/us-central1/deliveryPipelines/api/releases/r9/rollouts/r9-to-dev-0001";
    app = await startApp({ runs: [...sampleRuns(), { ...manyRuns(1)[0], name: nameOf(77, other) }] });
    expect(app.state().runs).toHaveLength(6);
    await app.press(":", ..."rollout r9-to-dev-0001".split(""), keys.enter);
    expect(app.state().parent).toBe(
      "projects/acme/locations/-/deliveryPipelines/-/releases/-/rollouts/r9-to-dev-0001",
    );
    expect(app.state().runs).toHaveLength(1);
  });
});

describe("terminate", () => {
  it("t opens a dialog with name, kind and state; Enter (the default No) cancels", async () => {
    app = await startApp({ runs: sampleRuns(), size: { columns: 160, rows: 24 } });
    await app.press("t");
    const frame = app.frame();
    expect(frame).toContain("Terminate this job run?");
    expect(frame).toContain(nameOf(1));
    expect(frame).toContain("Kind   Deploy");
    expect(frame).toContain("State  IN_PROGRESS");
    await app.press(keys.enter);
    expect(app.frame()).not.toContain("Terminate this job run?");
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
    await app.press(keys.ctrlD, keys.escape);
    expect(app.state().mode).toBe("normal");
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
  });

  it("y terminates: the row shows TERMINATING at once and follows to TERMINATED", async () => {
    app = await startApp({ runs: sampleRuns(), terminateDelayMs: 2000 });
    await app.press("t", "y");
    expect(selectedLine(app.frame())).toContain("TERMINATING");
    expect(app.frame()).toContain("Terminating 00000000-0000-4000-8000-000000000001");
    // The emulator ends the termination after 2 s; the list follows within one refresh interval.
    await app.advance(1000);
    expect(selectedLine(app.frame())).toContain("TERMINATING");
    await app.advance(3000);
    expect(selectedLine(app.frame())).toMatch(/■ TERMINATED/);
  });

  it("after an accepted terminate, reads that one run (getJobRun) instead of listing every page", async () => {
    app = await startApp({ runs: manyRuns(250), refreshSeconds: 3, terminateDelayMs: 10_000 });
    await app.press("G", "G", "G");
    expect(app.state().runs).toHaveLength(250);
    app.emulator.importJobRuns({
      jobRuns: [{ ...sampleRuns()[0], name: nameOf(1), createTime: new Date(app.clock.now()).toISOString() }],
    });
    await app.press("r", "g");
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
    const listsBefore = app.calls.list;
    await app.press("t", "y");
    await app.advance(600);
    expect(app.calls.get).toBe(1);
    expect(app.calls.list).toBe(listsBefore);
    expect(app.state().runs).toHaveLength(251);
    expect(selectedLine(app.frame())).toContain("TERMINATING");
  });

  it("shows FAILED_PRECONDITION as a readable message and keeps the run's real state", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("t");
    // Someone else terminated it meanwhile: the server refuses ours.
    await app.emulator.terminateJobRun({ name: nameOf(1) });
    await app.press("y");
    expect(app.frame().replaceAll("\n", " ")).toMatch(
      /Cannot terminate: job run 00000000-0000-4000-8000-000000000001 is TERMINATING; only an\s+IN_PROGRESS/,
    );
    await app.press("r");
    expect(selectedLine(app.frame())).toContain("TERMINATING");
  });

  it("t on a finished run explains why nothing happens", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("j", "t");
    expect(app.state().mode).toBe("normal");
    expect(app.frame()).toContain("Only an IN_PROGRESS run can be terminated; this one is FAILED.");
  });

  it("--readonly hides terminate entirely", async () => {
    app = await startApp({ runs: sampleRuns(), readonly: true });
    await app.press("t", "y", keys.ctrlD);
    expect(app.frame()).not.toContain("Terminate this job run?");
    expect(app.frame()).not.toContain("terminate");
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
  });
});

describe("copy and quit", () => {
  it("c copies the name, o the Cloud Console URL, y the run as proto3 JSON", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("c", "o", "y");
    expect(app.copied[0]).toBe(nameOf(1));
    expect(app.copied[1]).toBe(
      "https://console.cloud.google.com/deploy/delivery-pipelines/us-central1/web/releases/r1/rollouts/r1-to-prod-0001?project=acme",
    );
    expect(JSON.parse(app.copied[2] ?? "")).toMatchObject({
      name: nameOf(1),
      state: "IN_PROGRESS",
      jobId: "deploy",
    });
    expect(app.frame()).toContain("Copied the run as JSON to the clipboard.");
  });

  it("q and ctrl-c quit; typed in the filter line, q is text", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", "q");
    expect(app.quits.count).toBe(0);
    await app.press(keys.ctrlC);
    expect(app.quits.count).toBe(1);
    await app.press(keys.escape, "q");
    expect(app.quits.count).toBe(2);
  });
});

describe("live refresh", () => {
  it("refreshes by itself every --refresh seconds while something runs", async () => {
    app = await startApp({ runs: sampleRuns(), refreshSeconds: 3, terminateDelayMs: 10_000 });
    await app.emulator.terminateJobRun({ name: nameOf(1) });
    await app.advance(2900);
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
    await app.advance(200);
    expect(selectedLine(app.frame())).toContain("TERMINATING");
  });

  it("--refresh 0 refreshes only on r", async () => {
    app = await startApp({ runs: sampleRuns(), refreshSeconds: 0 });
    await app.emulator.terminateJobRun({ name: nameOf(1) });
    await app.advance(60_000);
    expect(selectedLine(app.frame())).toContain("IN_PROGRESS");
    await app.press(keys.ctrlR);
    expect(selectedLine(app.frame())).toContain("TERMINATED");
  });
});

describe("colour", () => {
  it("uses colour by default and none without it, with the same words and glyphs", async () => {
    app = await startApp({ runs: sampleRuns(), colour: true });
    const coloured = app.rawFrame();
    app.unmount();
    app = await startApp({ runs: sampleRuns(), colour: false });
    const plain = app.rawFrame();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is tested
    const sgrColour = /\u001b\[3[0-9]m/;
    expect(coloured).toMatch(sgrColour);
    expect(plain).not.toMatch(sgrColour);
    for (const word of ["IN_PROGRESS", "FAILED", "✗", "✓", "■"]) expect(plain).toContain(word);
  });
});

describe("keys typed faster than the screen reads them", () => {
  it("handles each character of a multi-key read in order", async () => {
    app = await startApp({ runs: manyRuns(30) });
    await app.press("jjj");
    expect(selectedLine(app.frame())).toContain("job-00003");
    await app.press("kG");
    expect(selectedLine(app.frame())).toContain("job-00029");
  });

  it("applies a filter's text, then the Enter, typed in one read", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", "verify\r");
    expect(app.state().mode).toBe("normal");
    expect(app.state().textFilter).toBe("verify");
  });

  it("takes a multi-character read as text in the filter line", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", "verify");
    expect(app.state().textFilter).toBe("verify");
  });

  it("runs a whole command line typed in one read", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press(':filter state="FAILED"\r');
    expect(app.state().serverFilter).toBe('state="FAILED"');
    expect(app.state().runs).toHaveLength(1);
  });

  it("takes keys after the Enter as key presses again", async () => {
    app = await startApp({ runs: sampleRuns() });
    await app.press("/", "ver\r?");
    expect(app.state().textFilter).toBe("ver");
    expect(app.state().view).toBe("help");
  });
});
