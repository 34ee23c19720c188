import { fork } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JobRun_State } from "@jobrun/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, createManualClock } from "../src/index.js";
import { loadJobRunsFile, persistEmulator } from "../src/node/index.js";
import { doc, ROLLOUT, rejectionOf, run } from "./helpers.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jobrun-emulator-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadJobRunsFile", () => {
  it("reads a document that createEmulator accepts", async () => {
    const path = join(dir, "ok.json");
    await writeFile(path, JSON.stringify(doc(run("a"))));
    expect(createEmulator({ jobRuns: await loadJobRunsFile(path) }).size).toBe(1);
  });

  it("says what is wrong with a missing, empty, non-JSON or unreadable file", async () => {
    const missing = await rejectionOf(loadJobRunsFile(join(dir, "nope.json")));
    expect([missing.code, missing.message]).toEqual(["NOT_FOUND", expect.stringContaining("does not exist")]);
    await writeFile(join(dir, "empty.json"), "  \n");
    expect((await rejectionOf(loadJobRunsFile(join(dir, "empty.json")))).message).toContain("is empty");
    await writeFile(join(dir, "bad.json"), '{"jobRuns": [');
    const bad = await rejectionOf(loadJobRunsFile(join(dir, "bad.json")));
    expect([bad.code, bad.message]).toEqual(["INVALID_ARGUMENT", expect.stringContaining("is not JSON")]);
    expect((await rejectionOf(loadJobRunsFile(dir))).message).toContain("directory");
    if (process.getuid?.() !== 0) {
      await writeFile(join(dir, "locked.json"), "{}");
      await chmod(join(dir, "locked.json"), 0o000);
      expect((await rejectionOf(loadJobRunsFile(join(dir, "locked.json")))).code).toBe("PERMISSION_DENIED");
    }
  });
});

describe("persistEmulator", () => {
  it("writes changes, and on close the final state, re-importable as is", async () => {
    const path = join(dir, "state.json");
    const clock = createManualClock();
    const emulator = createEmulator({ clock, jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })) });
    const persistence = persistEmulator(emulator, path, { debounceMs: 5 });
    await persistence.flush();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(emulator.exportJobRuns());
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    emulator.stop();
    await persistence.close();
    const reloaded = createEmulator({ jobRuns: await loadJobRunsFile(path) });
    expect((await reloaded.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.TERMINATED);
    expect(reloaded.exportJobRuns()).toEqual(emulator.exportJobRuns());
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("rejects flush when the directory does not exist, leaving no temp file", async () => {
    const persistence = persistEmulator(
      createEmulator({ jobRuns: doc(run("a")) }),
      join(dir, "no/such/dir.json"),
      {
        writeInitial: false,
      },
    );
    await expect(persistence.flush()).rejects.toThrow(/ENOENT/);
  });

  it("never leaves a torn file when the process is killed mid-write", async () => {
    const path = join(dir, "crash.json");
    const runs = 4000; // about 2 MB per generation: kills land inside writes
    for (let attempt = 0; attempt < 4; attempt++) {
      const child = fork(join(import.meta.dirname, "child/persist-writer.ts"), [path, String(runs)], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      await new Promise<void>((resolve, reject) => {
        child.once("message", () => resolve());
        child.once("exit", (code) => reject(new Error(`the writer exited early (${code})`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 40 + attempt * 37));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const document = JSON.parse(await readFile(path, "utf8")) as { jobRuns: { etag: string }[] };
      expect(document.jobRuns).toHaveLength(runs);
      expect(new Set(document.jobRuns.map((r) => r.etag)).size).toBe(1);
      expect(createEmulator({ jobRuns: document }).size).toBe(runs);
    }
    // Four writer processes, each building and writing 2 MB generations: about 10 s on an idle
    // machine, and over 30 s when the other packages' tests share its two cores (seen on Node 24).
  }, 120_000);
});
