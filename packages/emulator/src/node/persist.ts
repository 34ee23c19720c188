// Persistence of an emulator to a JSON file (the export format, re-importable).
//
// Durability: every change a caller is told about is on disk before the caller is told. The
// persistence registers a commit hook (Emulator.addCommitHook), which a mutating call awaits after its
// change and before it answers; the hook resolves once a write that includes the change has reached
// the disk. A write is a whole snapshot, written to a temporary file in the same directory, fsynced,
// renamed over the target (atomic on POSIX file systems: a crash leaves the old file or the new one,
// never a torn mix), and then the directory is fsynced so the rename itself survives a power loss.
//
// Group commit: at most one write runs at a time. A change waits for the first write whose snapshot
// was taken after it: the one in flight if it started after the change, else the next one, which
// starts as soon as the one in flight ends and serves every change made before it starts. So N
// concurrent terminates cost two writes, not N, and nothing is acknowledged early.
//
// Changes nobody waits for (the demo moving, terminations finishing on the clock) are written within
// `debounceMs`, batched with whatever else is pending.

import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Emulator } from "../emulator.js";

export interface PersistOptions {
  /** Changes no caller waits for (demo ticks, finished terminations) are written within this time (ms). Default 200. */
  readonly debounceMs?: number;
  /**
   * Called when a write fails (default: console.error). A failed write that a caller waited for also
   * fails that call (UNAVAILABLE, CHANGE_NOT_SAVED); flush() and close() reject instead.
   */
  readonly onError?: (error: unknown) => void;
  /** Write the current state at once, not only after the first change. Default true. */
  readonly writeInitial?: boolean;
  /**
   * Make the emulator's mutating calls wait until their change is on disk (a commit hook). Default
   * true; false only writes in the background, within debounceMs, and a crash may lose what was
   * acknowledged meanwhile.
   */
  readonly durable?: boolean;
  /** How a snapshot reaches the disk. Default writeAtomically (temp file, fsync, rename, fsync dir). */
  readonly writeFile?: (path: string, text: string) => Promise<void>;
}

export interface Persistence {
  /** Resolves once every change made so far is on disk (writing now if needed; the first call always writes). */
  flush(): Promise<void>;
  /** Stops listening and writes the final state: a clean shutdown loses nothing. */
  close(): Promise<void>;
}

let tempCounter = 0;

/** Keeps `path` in step with the emulator's runs; see the top of this file for the guarantees. */
export function persistEmulator(emulator: Emulator, path: string, options: PersistOptions = {}): Persistence {
  const debounceMs = options.debounceMs ?? 200;
  const writeFile = options.writeFile ?? writeAtomically;
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`@jobrun/emulator: persisting to ${path} failed`, error));
  // Changes are counted as the emulator reports them; a write covers every change counted before
  // its snapshot was taken. `durable` is the count the last successful write covered (-1: none yet).
  let changes = 0;
  let durable = -1;
  let inFlight: { readonly covers: number; readonly done: Promise<void> } | undefined;
  let queued: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  /** Takes the snapshot now (synchronously, so it holds every change made so far) and writes it. */
  const startWrite = (): Promise<void> => {
    const covers = changes;
    const text = `${JSON.stringify(emulator.exportJobRuns())}\n`;
    const done = writeFile(path, text).then(
      () => {
        if (covers > durable) durable = covers;
        inFlight = undefined;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    inFlight = { covers, done };
    return done;
  };

  /** Resolves once a write holding every change made so far is on disk. */
  const commit = (): Promise<void> => {
    if (durable >= changes) return Promise.resolve();
    if (inFlight !== undefined && inFlight.covers >= changes) return inFlight.done;
    if (queued !== undefined) return queued;
    if (inFlight === undefined) return startWrite();
    // A write is running with an older snapshot: the next one starts when it ends (failed or not),
    // and serves every change made until then.
    queued = inFlight.done
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return durable >= changes ? undefined : startWrite();
      });
    return queued;
  };

  const unsubscribe = emulator.subscribe(() => {
    changes++;
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      commit().catch(onError);
    }, debounceMs);
  });

  const removeHook =
    (options.durable ?? true)
      ? emulator.addCommitHook(() =>
          commit().catch((error: unknown) => {
            onError(error);
            throw error;
          }),
        )
      : () => {};

  if (options.writeInitial ?? true) commit().catch(onError);

  return {
    flush: commit,
    async close() {
      if (!closed) {
        closed = true;
        unsubscribe();
        removeHook();
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      }
      return commit();
    },
  };
}

/**
 * Writes `text` to `path` so that a crash at any moment leaves the old file or the new one: a
 * temporary file in the same directory, fsync, rename over `path`, fsync of the directory.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
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
  await syncDirectory(directory);
}

/** Makes a rename in `directory` durable. Platforms that cannot fsync a directory (Windows) skip it. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(directory, "r");
  } catch (error) {
    if (cannotSyncDirectories(error)) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!cannotSyncDirectories(error)) throw error;
  } finally {
    await handle.close();
  }
}

function cannotSyncDirectories(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EISDIR" || code === "EPERM" || code === "EINVAL" || code === "ENOTSUP";
}
