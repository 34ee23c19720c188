// Stands in for src/decode/fast-json-reader.ts in the bench's "without" bundle: every page then goes
// through JSON.parse and core's decodeJson (protobuf-es fromJson), as it would without the reader.
export function readMessageFast(): undefined {
  return undefined;
}
