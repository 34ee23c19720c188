// The CLI's emulator with its files: `--import FILE` (a fixture, read once) and `--data FILE` (the
// emulator's state, kept on disk). The rules:
// - `--data D` and D exists: the runs in D are served as they are (no demo: the demo's plan for its
//   rollouts in progress is not part of the file); runs stored as TERMINATING finish after the
//   emulator's terminate delay, counted from the start.
// - `--data D` and D is missing: D is created before the port opens, from `--import` if given, else
//   from the live demo world (which keeps moving, and D with it).
// - `--import F --data D` with an existing D is refused: an import fills a new data file once, and
//   never overwrites one (a restart with the same flags must not lose what D has gathered).
// - Every change a caller is told about is on disk before the answer (persistEmulator's commit hook);
//   changes nobody is told about (demo ticks, terminations finishing) are written within 200 ms.
// One process per data file: two processes on one file would overwrite each other's changes.

import { stat } from "node:fs/promises";
import type { Emulator } from "@jobrun/emulator";
import { loadJobRunsFile, type Persistence, persistEmulator } from "@jobrun/emulator/node";
import { createEmulatorBackend } from "../backends/emulator.js";
import { UsageError } from "./cli-args.js";

export interface EmulatorFiles {
  readonly importFile: string | undefined;
  readonly dataFile: string | undefined;
}

export interface RunningEmulator {
  readonly emulator: Emulator;
  /** Stops the emulator's timers and, with a data file, writes its final state. */
  stop(): Promise<void>;
}

/** Creates the emulator from the files; a problem with them is a UsageError naming the flag. */
export async function openEmulator(files: EmulatorFiles): Promise<RunningEmulator> {
  const { importFile, dataFile } = files;
  const dataExists = dataFile !== undefined && (await fileExists(dataFile));
  if (dataExists && importFile !== undefined) {
    throw new UsageError(
      `--data ${dataFile} already exists, and --import only fills a new data file: drop --import to serve ${dataFile} as it is, or remove it to import again`,
    );
  }
  const source = dataExists ? { flag: "--data", file: dataFile } : { flag: "--import", file: importFile };
  let jobRuns: unknown;
  if (source.file !== undefined) {
    try {
      jobRuns = await loadJobRunsFile(source.file);
    } catch (error) {
      throw new UsageError(`${source.flag}: ${(error as Error).message}`);
    }
  }
  let emulator: Emulator;
  try {
    emulator = createEmulatorBackend(jobRuns === undefined ? {} : { jobRuns });
  } catch (error) {
    throw new UsageError(`${source.flag} ${source.file}: ${(error as Error).message}`);
  }
  if (dataFile === undefined) return { emulator, stop: async () => emulator.stop() };

  const persistence = persistEmulator(emulator, dataFile, {
    writeInitial: false,
    onError: (error) =>
      console.error(`jobrun-proxy: writing --data ${dataFile} failed: ${(error as Error).message}`),
  });
  if (!dataExists) await createDataFile(emulator, persistence, dataFile);
  return {
    emulator,
    async stop() {
      emulator.stop();
      await persistence.close();
    },
  };
}

/** Writes a new data file before the port opens, so a bad path is a start-up error, not a later one. */
async function createDataFile(emulator: Emulator, persistence: Persistence, dataFile: string) {
  try {
    await persistence.flush();
  } catch (error) {
    emulator.stop();
    await persistence.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "its directory does not exist" : (error as Error).message;
    throw new UsageError(`--data ${dataFile} cannot be created: ${reason}`);
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return false;
    throw new UsageError(`--data ${path} cannot be read: ${(error as Error).message}`);
  }
}
