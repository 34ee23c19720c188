// The parts of a run's name (project, location, pipeline, release, rollout, id), as core parses
// them. Parsing validates every segment, which costs microseconds per name; the list asks for the
// same names on every frame and every refresh, so the answers are kept, a bounded number of them.
import { type JobRunNameParts, parseJobRunName } from "@jobrun/core";

/** More names than any list holds; past it the memo starts over rather than grow without bound. */
const MEMO_LIMIT = 100_000;
const memo = new Map<string, JobRunNameParts | undefined>();

/** The parts of a job run name, or undefined for a name core does not accept (from an odd server). */
export function namePartsOf(name: string): JobRunNameParts | undefined {
  const known = memo.get(name);
  if (known !== undefined || memo.has(name)) return known;
  let parts: JobRunNameParts | undefined;
  try {
    parts = parseJobRunName(name);
  } catch {
    parts = undefined;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(name, parts);
  return parts;
}
