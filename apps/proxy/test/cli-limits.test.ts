// The CLI's server limits over real sockets: slow clients are cut off, connections past the cap are
// refused while everyone else is served, and a loopback bind answers to its own address.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { conformanceFixture, rollouts } from "@jobrun/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { bin, killAll, startCli } from "./support/cli-process.js";
import { keepAliveAgent } from "./support/hostile-requests.js";

const dir = mkdtempSync(join(tmpdir(), "jobrun-proxy-limits-"));
const fixture = conformanceFixture();
const dataFile = join(dir, "runs.json");
writeFileSync(dataFile, JSON.stringify({ jobRuns: fixture.jobRuns }));
const running = fixture.jobRuns.find(
  (r) => r.state === "IN_PROGRESS" && r.name!.startsWith(`${rollouts.terminate}/`),
)!.name!;

afterAll(killAll);

/** A raw connection that records what it receives and when it is closed. */
async function open(
  url: string,
): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    received += chunk;
  });
  socket.on("error", () => {});
  const started = Date.now();
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started)));
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("close", () => reject(new Error("closed before connecting")));
  });
  return { socket, received: () => received, closed };
}

/** Writes `line` every `everyMs` until the socket closes. */
function dribble(socket: Socket, line: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) clearInterval(timer);
    else socket.write(line);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

const healthz = (url: string, agent?: ReturnType<typeof keepAliveAgent>) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path: "/healthz", ...(agent === undefined ? {} : { agent }) });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });

describe("jobrun-proxy against slow clients", () => {
  it("cuts off headers sent a line at a time (slowloris) at --headers-timeout, and keeps serving", async () => {
    const { url } = await startCli([
      "--import",
      dataFile,
      "--headers-timeout",
      "0.5",
      "--request-timeout",
      "1",
    ]);
    const slow = await open(url);
    slow.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    dribble(slow.socket, "X-Slow: 1\r\n", 100);
    const idle = await open(url);
    expect(await healthz(url)).toBe(200);
    expect(await slow.closed).toBeLessThan(3_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    // A connection that never sends a byte is cut off the same way.
    expect(await idle.closed).toBeLessThan(3_000);
    expect(await healthz(url)).toBe(200);
  });

  it("cuts off a body sent a byte at a time at --request-timeout, as the caller's doing", async () => {
    const cli = await startCli(["--import", dataFile, "--headers-timeout", "0.5", "--request-timeout", "1"]);
    const slow = await open(cli.url);
    slow.socket.write(
      `POST /v1/${running}:terminate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    dribble(slow.socket, " ", 100);
    expect(await slow.closed).toBeLessThan(4_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 (408|499)/);
    await expect
      .poll(() => cli.output.stdout.split("\n").find((line) => line.includes(":terminate")), {
        timeout: 2_000,
      })
      .toBeDefined();
    const line = JSON.parse(cli.output.stdout.split("\n").find((l) => l.includes(":terminate"))!) as {
      level: string;
      error: string;
    };
    expect(line).toMatchObject({ level: "warn", error: "CANCELLED" });
    expect(cli.output.stdout).not.toMatch(/"level":"error"/);
  });

  it("refuses connections past --max-connections while the open ones are still served", async () => {
    const { url } = await startCli([
      "--import",
      dataFile,
      "--max-connections",
      "3",
      "--headers-timeout",
      "20",
    ]);
    const agent = keepAliveAgent();
    try {
      // One keep-alive connection in use, two idle ones: the cap is reached.
      expect(await healthz(url, agent)).toBe(200);
      const idle = [await open(url), await open(url)];
      const refused = await open(url).catch(() => undefined);
      if (refused !== undefined) {
        expect(await refused.closed).toBeLessThan(2_000);
        expect(refused.received()).toBe("");
      }
      // The connection already open is still answered, on the same socket.
      expect(await healthz(url, agent)).toBe(200);
      // Once one goes, a new connection is accepted again.
      idle[0]!.socket.destroy();
      await idle[0]!.closed;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await open(url);
      again.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      await again.closed;
      expect(again.received()).toMatch(/^HTTP\/1\.1 200/);
      idle[1]!.socket.destroy();
    } finally {
      agent.destroy();
    }
  });

  it("refuses nonsensical limits with one clear line and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--headers-timeout", "0"], /--headers-timeout must be a number of seconds/],
      [["--headers-timeout=-1"], /--headers-timeout must be/],
      [["--request-timeout", "soon"], /--request-timeout must be/],
      [["--headers-timeout", "20", "--request-timeout", "10"], /must be at least --headers-timeout/],
      [["--max-connections", "0"], /--max-connections must be a whole number above 0/],
      [["--max-connections", "1.5"], /--max-connections must be/],
    ];
    for (const [args, message] of cases) {
      const result = await promisify(execFile)(process.execPath, [bin, ...args]).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe("jobrun-proxy on a loopback address other than 127.0.0.1", () => {
  it("answers on --host 127.0.0.2 without auth, and still refuses a foreign Host", async () => {
    const { url } = await startCli(["--import", dataFile, "--host", "127.0.0.2"]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    const ok = await fetch(`${url}/v1/${running}`);
    expect(ok.status).toBe(200);
    const rebinding = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const req = request({ hostname, port, path: "/healthz", headers: { host: `evil.example:${port}` } });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(rebinding).toBe(403);
  });
});
