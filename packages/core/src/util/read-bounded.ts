/**
 * Reads a byte stream whole, at most `limit` bytes. The stream is read chunk by chunk and cancelled
 * the moment it passes the limit, so an oversized body (a request to the proxy, an answer from
 * upstream) costs at most `limit` bytes of memory. Resolves `undefined` when the stream was over the
 * limit; a failed read rejects with the stream's own error, for the caller to name.
 */
export async function readStreamBounded(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
