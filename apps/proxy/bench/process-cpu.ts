// CPU time of another process, read from /proc/<pid>/stat: what a server (or workerd) spent while the
// bench drove it, without asking it anything. Linux only; elsewhere NaN, and the figure is left out.
import { readdirSync, readFileSync } from "node:fs";

/** The clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces: fields[0] is field 3. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, or NaN off Linux. */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  if (fields === undefined) return Number.NaN;
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S; // utime, stime (fields 14, 15)
}

/** The pids of the running processes whose parent is `parent` and whose command is `command`. */
export function childPids(parent: number, command: string): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent && name === command) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}
