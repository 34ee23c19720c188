// Opening a URL in the user's browser: xdg-open, open or start, as the platform has it. Over SSH or
// without a display there is no browser to open, and the caller copies the URL instead.
import { spawn } from "node:child_process";

export type OpenResult =
  | { readonly opened: true; readonly how: string }
  | { readonly opened: false; readonly why: string };

/** Opens `url` in a browser, or says why it cannot. */
export type Browser = (url: string) => Promise<OpenResult>;

/** How long to wait for the opener to report failure before taking it as launched. */
const OPENER_WAIT_MS = 3000;

function openerFor(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === "darwin") return ["open", [url]];
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (platform === "win32") return ["cmd", ["/c", "start", '""', url.replaceAll("&", "^&")]];
  return ["xdg-open", [url]];
}

/** The browser of this machine, if it has one the user can see. */
export function systemBrowser(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Browser {
  return (url) => {
    if (env.SSH_CONNECTION !== undefined || env.SSH_TTY !== undefined) {
      return Promise.resolve({ opened: false, why: "this is an SSH session" });
    }
    if (platform === "linux" && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      return Promise.resolve({ opened: false, why: "there is no display" });
    }
    const [command, args] = openerFor(platform, url);
    return new Promise((resolve) => {
      const child = spawn(command, args, { stdio: "ignore", detached: true, env: { ...env } });
      const timer = setTimeout(() => {
        child.unref();
        resolve({ opened: true, how: command });
      }, OPENER_WAIT_MS);
      child.on("error", (error) => {
        clearTimeout(timer);
        resolve({ opened: false, why: `${command} failed: ${error.message}` });
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(
          code === 0
            ? { opened: true, how: command }
            : { opened: false, why: `${command} exited with ${code}` },
        );
      });
    });
  };
}
