// Ink decides once, when it is imported (through `is-in-ci`), whether it runs in CI: then it draws
// only the last frame at exit. chalk (through `supports-color`) likewise turns colours off at import.
// Both look at CI and CONTINUOUS_INTEGRATION, set at all (even empty). A person at a terminal may
// well have CI set (in a dev container, say), and a TTY is interactive whatever CI says: so the
// interactive UI is imported with those variables hidden, and they come back at once for whatever
// runs later (gcloud, for credentials, should still see them).

/** The variables `is-in-ci` and `supports-color` read. */
const CI_VARIABLES = ["CI", "CONTINUOUS_INTEGRATION"] as const;

/** Runs `load` (an import) with CI and CONTINUOUS_INTEGRATION removed from `env`, then puts them back. */
export async function importOutsideCi<T>(env: NodeJS.ProcessEnv, load: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string>();
  for (const name of CI_VARIABLES) {
    const value = env[name];
    if (value === undefined) continue;
    saved.set(name, value);
    delete env[name];
  }
  try {
    return await load();
  } finally {
    for (const [name, value] of saved) env[name] = value;
  }
}
