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

  it("answers a terminate only once a write holding its change is on disk", async () => {
    const path = join(dir, "durable.json");
    const emulator = createEmulator({
      clock: createManualClock(),
      jobRuns: doc(
        run("a", { state: JobRun_State.IN_PROGRESS }),
        run("b", { state: JobRun_State.IN_PROGRESS }),
      ),
    });
    const persistence = persistEmulator(emulator, path, { debounceMs: 60_000 });
    await persistence.flush();
    // Through the real file: the answer comes after the file says TERMINATING, with no flush.
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` });
    const onDisk = JSON.parse(await readFile(path, "utf8")) as { jobRuns: { state: string }[] };
    expect(onDisk.jobRuns.map((r) => r.state)).toEqual(["TERMINATING", "IN_PROGRESS"]);
    await persistence.close();

    // Through a write that we hold: the terminate waits for it.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createEmulator({
      clock: createManualClock(),
      jobRuns: doc(run("a", { state: JobRun_State.IN_PROGRESS })),
    });
    const writes: string[] = [];
    const slowPersistence = persistEmulator(slow, path, {
      writeInitial: false,
      writeFile: async (_path, text) => {
        writes.push(text);
        await held;
      },
    });
    let answered = false;
    const terminate = slow.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` }).then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([answered, writes.length]).toEqual([false, 1]);
    expect(writes[0]).toContain('"TERMINATING"');
    release();
    await terminate;
    expect(answered).toBe(true);
    slow.stop();
    await slowPersistence.close();
  });

  it("serves concurrent terminates with a few writes, each acknowledged only once it is on disk", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `r${i}`);
    const emulator = createEmulator({
      clock: createManualClock(),
      jobRuns: doc(...names.map((id) => run(id, { state: JobRun_State.IN_PROGRESS }))),
    });
    const onDisk = new Set<string>();
    let writes = 0;
    persistEmulator(emulator, join(dir, "unused.json"), {
      writeInitial: false,
      writeFile: async (_path, text) => {
        writes++;
        await new Promise((resolve) => setTimeout(resolve, 15));
        const document = JSON.parse(text) as { jobRuns: { name: string; state: string }[] };
        for (const r of document.jobRuns) if (r.state === "TERMINATING") onDisk.add(r.name);
      },
    });
    const acknowledged: boolean[] = [];
    // Three waves: the first write starts with the first terminate, the rest are batched.
    for (let wave = 0; wave < 3; wave++) {
      await Promise.all(
        names.slice(wave * 20, wave * 20 + 20).map(async (id) => {
          const name = `${ROLLOUT}/jobRuns/${id}`;
          await emulator.terminateJobRun({ name });
          acknowledged.push(onDisk.has(name));
        }),
      );
    }
    expect(acknowledged).toHaveLength(60);
    expect(acknowledged.every(Boolean)).toBe(true);
    expect(writes).toBeLessThanOrEqual(6);
    emulator.stop();
  });

  it("fails a terminate whose write fails with UNAVAILABLE, and saves it with the next write", async () => {
    const emulator = createEmulator({
      clock: createManualClock(),
      jobRuns: doc(
        run("a", { state: JobRun_State.IN_PROGRESS }),
        run("b", { state: JobRun_State.IN_PROGRESS }),
      ),
    });
    const errors: unknown[] = [];
    let failNext = true;
    let lastWritten = "";
    persistEmulator(emulator, join(dir, "unused.json"), {
      writeInitial: false,
      onError: (error) => errors.push(error),
      writeFile: async (_path, text) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        }
        lastWritten = text;
      },
    });
    const failed = await rejectionOf(emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/a` }));
    expect(failed.code).toBe("UNAVAILABLE");
    expect(failed.reason).toBe("CHANGE_NOT_SAVED");
    expect(failed.message).toContain("could not be saved");
    expect(failed.message).not.toContain("ENOSPC");
    expect(errors).toHaveLength(1);
    // The change was made (others may have seen it), and the next write keeps it.
    expect((await emulator.getJobRun({ name: `${ROLLOUT}/jobRuns/a` })).state).toBe(JobRun_State.TERMINATING);
    await emulator.terminateJobRun({ name: `${ROLLOUT}/jobRuns/b` });
    const saved = JSON.parse(lastWritten) as { jobRuns: { state: string }[] };
    expect(saved.jobRuns.map((r) => r.state)).toEqual(["TERMINATING", "TERMINATING"]);
    emulator.stop();
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
