// Printing to a pipe. Node writes to a pipe asynchronously, so exiting right after a large write
// loses whatever is still queued (a reader saw 64 KiB of a 77 KiB listing). And a reader that stops
// early (`| head`) makes the next write fail with EPIPE, which is no error of ours.

/** Resolves once everything written to `stream` so far has been handed to the operating system. */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    // A write's callback runs after the writes queued before it; an empty write queues nothing.
    if (!stream.write("", () => resolve())) stream.once("drain", () => resolve());
  });
}

/** Makes a closed pipe end the process quietly (exit 0, no stack trace), as `| head` expects. */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WritableStream, exit: (code: number) => void): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") exit(0);
    else throw error;
  });
}
