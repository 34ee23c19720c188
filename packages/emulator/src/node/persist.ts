// Persistence of an emulator to a JSON file. Each write goes to a temporary file in the same
// directory, is fsynced, then renamed over the target: rename is atomic on POSIX file systems, so a
// crash at any moment leaves either the old file or the new one, never a torn mix.

import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Emulator } from "../emulator.js";

export interface PersistOptions {
  /** Changes are written at most this often (ms). Default 200. */
  readonly debounceMs?: number;
  /** Called when a background write fails (default: console.error). flush() and close() reject instead. */
  readonly onError?: (error: unknown) => void;
  /** Write the current state at once, not only after the first change. Default true. */
  readonly writeInitial?: boolean;
}

export interface Persistence {
  /** Writes the current state now (after any write in flight); resolves when it is on disk. */
  flush(): Promise<void>;
  /** Stops listening and writes the final state: a clean shutdown loses nothing. */
  close(): Promise<void>;
}

let tempCounter = 0;

/** Keeps `path` in step with the emulator's runs (export format, re-importable with loadJobRunsFile). */
export function persistEmulator(emulator: Emulator, path: string, options: PersistOptions = {}): Persistence {
  const debounceMs = options.debounceMs ?? 200;
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`@jobrun/emulator: persisting to ${path} failed`, error));
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Writes are chained so that two never race on the rename.
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const writeNow = (): Promise<void> => {
    const next = chain.then(() => writeAtomically(path, `${JSON.stringify(emulator.exportJobRuns())}\n`));
    chain = next.catch(() => {});
    return next;
  };

  const unsubscribe = emulator.subscribe(() => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      writeNow().catch(onError);
    }, debounceMs);
  });

  if (options.writeInitial ?? true) writeNow().catch(onError);

  return {
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      return writeNow();
    },
    async close() {
      if (closed) return chain;
      closed = true;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      return writeNow();
    },
  };
}

/** Writes `text` to `path` via a temporary file, fsync and rename. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}
