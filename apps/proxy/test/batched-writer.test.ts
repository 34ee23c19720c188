// The CLI's request-log writer, on real file descriptors: a file, and a pipe nobody reads.
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { batchedWriter } from "../src/node/batched-writer.js";
import { until } from "./support/wait.js";

const dirs: string[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "jobrun-writer-"));
  dirs.push(dir);
  return join(dir, name);
}

describe("batchedWriter", () => {
  it("writes every line whole and in order: multi-byte text, lines longer than its buffer, many buffers' worth", async () => {
    const file = tempPath("log");
    const fd = openSync(file, "w");
    fds.push(fd);
    const writer = batchedWriter(fd, { bufferBytes: 1024 });
    const lines = [
      ...Array.from({ length: 2000 }, (_, i) => `{"n":${i},"path":"/v1/projects/p/x-${i}"}\n`),
      `{"text":"${"é日本🙂".repeat(50)}"}\n`,
      `{"long":"${"x".repeat(5000)}"}\n`,
      "last\n",
    ];
    for (const line of lines) writer.write(line);
    const expected = lines.join("");
    await until(() => readFileSync(file, "utf8").length === expected.length, "all lines", 10_000);
    expect(readFileSync(file, "utf8")).toBe(expected);
  });

  it("writes what is queued at once on flushSync (what the exit hook calls)", () => {
    const file = tempPath("log");
    const fd = openSync(file, "w");
    fds.push(fd);
    const writer = batchedWriter(fd);
    writer.write("one\n");
    writer.write("two\n");
    writer.flushSync();
    expect(readFileSync(file, "utf8")).toBe("one\ntwo\n");
  });

  it("drops lines past its backlog while nobody reads, and says how many once the reader catches up", async () => {
    const fifo = tempPath("fifo");
    execFileSync("mkfifo", [fifo]);
    // Read-write, so it opens without a reader; non-blocking, so a full pipe answers EAGAIN.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    fds.push(fd);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    fds.push(reader);
    const writer = batchedWriter(fd, { bufferBytes: 4096, maxBacklogBytes: 64 * 1024 });
    const line = `${"x".repeat(99)}\n`;
    const sent = 20_000; // 2 MB: far past the pipe's 64 KiB and the 64 KiB backlog
    for (let i = 0; i < sent; i += 1) writer.write(line);
    // Nothing reads for a while: the writer keeps trying, its memory stays at the backlog.
    await new Promise((resolve) => setTimeout(resolve, 100));
    let text = "";
    const chunk = Buffer.alloc(64 * 1024);
    await until(
      () => {
        for (;;) {
          let n = 0;
          try {
            n = readSync(reader, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
            throw error;
          }
          if (n === 0) break;
          text += chunk.toString("utf8", 0, n);
        }
        return text.includes('"msg":"request log lines dropped');
      },
      "the report of dropped lines",
      10_000,
    );
    const lines = text.split("\n").filter((l) => l !== "");
    const kept = lines.filter((l) => l === line.trimEnd()).length;
    const report = JSON.parse(lines.find((l) => l.startsWith("{")) ?? "{}") as { dropped?: number };
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(sent);
    expect(kept + (report.dropped ?? 0)).toBe(sent);
  });
});
