// gcloud-style scope flags to a List parent. `--rollout` takes an id or a full rollout name (as
// gcloud's does); every segment not given is `-`, "any".
import { isApiError, parseRolloutName, type RolloutNameParts, rolloutName, WILDCARD } from "@jobrun/core";

export interface ScopeFlags {
  readonly project?: string | undefined;
  readonly region?: string | undefined;
  readonly deliveryPipeline?: string | undefined;
  readonly release?: string | undefined;
  readonly rollout?: string | undefined;
}

/** Thrown for scope flags that do not make a rollout name; the message names the flag. */
export class ScopeError extends Error {}

/** The List parent for these flags; `defaultProject` when neither --project nor a full name gives one. */
export function parentFromFlags(flags: ScopeFlags, defaultProject: string | undefined): string {
  let base: Partial<RolloutNameParts> = {};
  const rollout = flags.rollout;
  if (rollout?.includes("/")) {
    try {
      base = parseRolloutName(rollout, { wildcards: true });
    } catch (error) {
      throw new ScopeError(
        `--rollout ${rollout} is not a rollout name: ${isApiError(error) ? error.message : String(error)}`,
      );
    }
    for (const [flag, value, fromName] of [
      ["--project", flags.project, base.project],
      ["--region", flags.region, base.location],
      ["--delivery-pipeline", flags.deliveryPipeline, base.deliveryPipeline],
      ["--release", flags.release, base.release],
    ] as const) {
      if (value !== undefined && value !== fromName) {
        throw new ScopeError(
          `${flag} ${value} contradicts the full --rollout name (which says ${fromName}); give one or the other`,
        );
      }
    }
  }
  const project = flags.project ?? base.project ?? defaultProject;
  if (project === undefined || project === "") {
    throw new ScopeError(
      "no project: pass --project (or a full --rollout name), or set CLOUDSDK_CORE_PROJECT",
    );
  }
  const parts: RolloutNameParts = {
    project,
    location: flags.region ?? base.location ?? WILDCARD,
    deliveryPipeline: flags.deliveryPipeline ?? base.deliveryPipeline ?? WILDCARD,
    release: flags.release ?? base.release ?? WILDCARD,
    rollout: rollout === undefined ? WILDCARD : (base.rollout ?? rollout),
  };
  try {
    return rolloutName(parts, { wildcards: true });
  } catch (error) {
    throw new ScopeError(`bad scope: ${isApiError(error) ? error.message : String(error)}`);
  }
}
