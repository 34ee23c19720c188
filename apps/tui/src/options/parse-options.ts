// Command-line flags. Every mistake is reported with the flag's name and what it accepts, and the
// process exits with code 2 (usage), as shell tools do.
import { parseArgs } from "node:util";
import { DEFAULT_REFRESH_SECONDS } from "../source/refresh-policy.js";
import { type SortOrder, sortFieldNamed, sortFields } from "../state/sort.js";
import { parentFromFlags, ScopeError } from "./scope.js";

/** The project the embedded demo's runs live in. */
export const DEMO_PROJECT = "demo-project";

export type OutputFormat = "json" | "table";

export interface Options {
  /** Remote REST endpoint; undefined runs the embedded emulator's demo. */
  readonly endpoint: string | undefined;
  readonly accessToken: string | undefined;
  /** The List parent. */
  readonly parent: string;
  readonly filter: string;
  readonly sort: SortOrder | undefined;
  readonly readonly: boolean;
  readonly refreshSeconds: number;
  /** Print once in this format and exit; undefined for the interactive UI (when stdout is a TTY). */
  readonly output: OutputFormat | undefined;
  /** At most this many runs printed by --output (all when undefined). */
  readonly limit: number | undefined;
  /** Seed of the demo world. */
  readonly seed: number;
}

export type ParsedCommandLine =
  | { readonly kind: "run"; readonly options: Options }
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "error"; readonly message: string };

const flagSpec = {
  endpoint: { type: "string" },
  "access-token": { type: "string" },
  project: { type: "string" },
  region: { type: "string" },
  "delivery-pipeline": { type: "string" },
  release: { type: "string" },
  rollout: { type: "string" },
  filter: { type: "string" },
  "sort-by": { type: "string" },
  readonly: { type: "boolean" },
  refresh: { type: "string" },
  output: { type: "string", short: "o" },
  limit: { type: "string" },
  seed: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

function nonNegativeNumber(flag: string, text: string, integer: boolean): number | string {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    return `--${flag} needs a ${integer ? "non-negative whole number" : "non-negative number of seconds"}, got "${text}"`;
  }
  return value;
}

function parseSortBy(text: string): SortOrder | string {
  // gcloud's --sort-by style: "~field" for descending; "field desc" is accepted too.
  const trimmed = text.trim();
  const descending = trimmed.startsWith("~") || /\s+desc$/i.test(trimmed);
  const name = trimmed.replace(/^~/, "").replace(/\s+(asc|desc)$/i, "");
  const field = sortFieldNamed(name);
  if (field === undefined)
    return `--sort-by: cannot sort by "${name}"; use one of ${sortFields.map((f) => f.field).join(", ")} (prefix ~ for descending)`;
  return { field, descending };
}

/** Parses argv (without node and the script). `env` supplies CLOUDSDK_CORE_PROJECT. */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommandLine {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof flagSpec; args: string[]; allowPositionals: true }>
  >["values"];
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: flagSpec,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    // node:util's messages name the flag ("Unknown option '--foo'"); drop its internal code prefix.
    // Keep the first sentence, which names the flag; node:util goes on about positionals.
    const text = error instanceof Error ? (error.message.split(/\. /)[0] ?? error.message) : String(error);
    return { kind: "error", message: text };
  }
  if (values.help === true) return { kind: "help" };
  if (values.version === true) return { kind: "version" };
  if (positionals.length > 1)
    return {
      kind: "error",
      message: `expected at most one rollout name, got ${positionals.length} arguments`,
    };
  const positionalRollout = positionals[0];
  if (positionalRollout !== undefined && values.rollout !== undefined) {
    return { kind: "error", message: "give the rollout either as an argument or with --rollout, not both" };
  }

  const endpoint = values.endpoint;
  if (endpoint !== undefined) {
    try {
      const url = new URL(endpoint);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
    } catch {
      return {
        kind: "error",
        message: `--endpoint must be an http(s) URL such as http://localhost:8080, got "${endpoint}"`,
      };
    }
  }
  if (values["access-token"] !== undefined && endpoint === undefined) {
    return {
      kind: "error",
      message: "--access-token needs --endpoint (the embedded demo needs no credentials)",
    };
  }

  let refreshSeconds = DEFAULT_REFRESH_SECONDS;
  if (values.refresh !== undefined) {
    const parsed = nonNegativeNumber("refresh", values.refresh, false);
    if (typeof parsed === "string") return { kind: "error", message: parsed };
    refreshSeconds = parsed;
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    const parsed = nonNegativeNumber("limit", values.limit, true);
    if (typeof parsed === "string") return { kind: "error", message: parsed };
    limit = parsed;
  }
  let seed = 1;
  if (values.seed !== undefined) {
    const parsed = nonNegativeNumber("seed", values.seed, true);
    if (typeof parsed === "string") return { kind: "error", message: parsed };
    seed = parsed;
  }
  let output: OutputFormat | undefined;
  if (values.output !== undefined) {
    if (values.output !== "json" && values.output !== "table") {
      return { kind: "error", message: `--output must be json or table, got "${values.output}"` };
    }
    output = values.output;
  }
  let sort: SortOrder | undefined;
  if (values["sort-by"] !== undefined) {
    const parsed = parseSortBy(values["sort-by"]);
    if (typeof parsed === "string") return { kind: "error", message: parsed };
    sort = parsed;
  }

  const defaultProject =
    endpoint === undefined ? DEMO_PROJECT : (env.CLOUDSDK_CORE_PROJECT ?? env.GOOGLE_CLOUD_PROJECT);
  let parent: string;
  try {
    parent = parentFromFlags(
      {
        project: values.project,
        region: values.region ?? (endpoint === undefined ? undefined : env.CLOUDSDK_DEPLOY_REGION),
        deliveryPipeline: values["delivery-pipeline"],
        release: values.release,
        rollout: values.rollout ?? positionalRollout,
      },
      defaultProject,
    );
  } catch (error) {
    if (error instanceof ScopeError) return { kind: "error", message: error.message };
    throw error;
  }

  return {
    kind: "run",
    options: {
      endpoint,
      accessToken: values["access-token"],
      parent,
      filter: values.filter ?? "",
      sort,
      readonly: values.readonly ?? false,
      refreshSeconds,
      output,
      limit,
      seed,
    },
  };
}

export const USAGE = `jobrun: watch, inspect and terminate Google Cloud Deploy job runs

Usage: jobrun [flags] [ROLLOUT]

With no flags, jobrun opens the embedded emulator's live demo.

Source
  --endpoint URL            a Cloud Deploy REST endpoint: a jobrun proxy, or https://clouddeploy.googleapis.com
  --access-token TOKEN      use this OAuth token (otherwise: GOOGLE_APPLICATION_CREDENTIALS, gcloud's
                            application-default credentials, the gcloud CLI, then the metadata server;
                            no credentials are sent to a localhost endpoint unless given)

Scope (gcloud-style; anything not given is "-", any)
  --project ID              default: CLOUDSDK_CORE_PROJECT or GOOGLE_CLOUD_PROJECT (demo-project on the demo)
  --region LOCATION         default: CLOUDSDK_DEPLOY_REGION with --endpoint
  --delivery-pipeline ID
  --release ID
  --rollout ID|NAME         a rollout id, or a full projects/…/rollouts/… name (also as the argument)

Listing
  --filter EXPR             AIP-160 filter sent to the server, e.g. 'state="FAILED"'
  --sort-by [~]FIELD        server-side order (~ = descending): state, jobId, phaseId, createTime, startTime, endTime, name
  --refresh SECONDS         refresh interval while runs move (default 3; slower when all are finished; 0 = only on r)
  --readonly                never offer to terminate

Output
  -o, --output json|table   print the list once and exit (the default when stdout is not a terminal)
  --limit N                 print at most N runs
  --seed N                  seed of the demo world (default 1)
  -h, --help                this help
  -v, --version             the version

Exit codes: 0 ok, 1 the server refused, 2 bad flags, 3 not signed in or not allowed,
            4 endpoint unreachable, 5 the server says the scope does not exist (NOT_FOUND).
An empty listing prints "Listed 0 items." on stderr.
Keys: press ? in the UI.`;
