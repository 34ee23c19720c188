import { type CodeName, isApiError } from "@jobrun/core";
import { expect } from "vitest";

/** Awaits `promise`, expects it to reject with an ApiError of `code` whose message contains each fragment. */
export async function expectApiError(
  promise: Promise<unknown>,
  code: CodeName,
  ...fragments: string[]
): Promise<Error> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${code} ApiError, but the call succeeded`).toBeDefined();
  expect(isApiError(error), `expected an ApiError, got ${String(error)}`).toBe(true);
  const apiError = error as Error & { code: CodeName };
  expect(apiError.code, apiError.message).toBe(code);
  for (const fragment of fragments) expect(apiError.message).toContain(fragment);
  return apiError;
}
