// What a Pub/Sub push from Cloud Deploy says, and which watched parents it concerns. The body is
// Pub/Sub's wrapper `{"message":{"attributes":{…},"data":"…","messageId":"…"},"subscription":"…"}`;
// Cloud Deploy puts the facts in the attributes: `ResourceType` (`JobRun` for a job run's Start,
// Succeed, Failure, Terminated on `clouddeploy-operations` and its Create/Update/Delete on
// `clouddeploy-resources`), `Resource` (the resource's name), `Action`, and the ids
// (`ProjectNumber`, `Location`, `DeliveryPipelineId`, `ReleaseId`, `RolloutId`, `JobRunId`).
//
// The push is a prompt to poll, never data: its project is a number where watchers name the project
// by id, and what the run looks like now is asked of Google by the poll it prompts.

import { WILDCARD } from "@jobrun/core";
import { proxyError } from "../errors.js";

/** Where a changed run is; an id left out (the message did not say) may be anything. */
export interface ChangedRunPlace {
  readonly project?: string;
  readonly location?: string;
  readonly deliveryPipeline?: string;
  readonly release?: string;
  readonly rollout?: string;
}

/** The part of a push request the proxy reads. */
export interface PushMessage {
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageId: string;
}

/** Parses a push request's body; a body that is not Pub/Sub's wrapper is a 400. */
export function parsePushBody(text: string): PushMessage {
  const malformed = (what: string) =>
    proxyError("INVALID_ARGUMENT", "PUSH_BODY_MALFORMED", `the push body is not a Pub/Sub push: ${what}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformed("it is not JSON");
  }
  if (!isObject(body)) throw malformed("it is not a JSON object");
  const message = body.message;
  if (!isObject(message)) throw malformed(`it has no "message" object`);
  const attributes = message.attributes ?? {};
  if (!isObject(attributes)) throw malformed(`"message.attributes" is not an object`);
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== "string")
      throw malformed(`"message.attributes" value of ${JSON.stringify(key)} is not a string`);
  }
  const id = message.messageId ?? message.message_id ?? "";
  return { attributes: attributes as Record<string, string>, messageId: typeof id === "string" ? id : "" };
}

const JOB_RUN_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/deliveryPipelines\/([^/]+)\/releases\/([^/]+)\/rollouts\/([^/]+)\/jobRuns\/([^/]+)$/;

/** Where the job run a message is about is, or undefined when the message is not about a job run. */
export function changedRunPlace(attributes: Readonly<Record<string, string>>): ChangedRunPlace | undefined {
  const resource = attributes.Resource ?? "";
  const named = JOB_RUN_NAME.exec(resource);
  const type = attributes.ResourceType;
  if (type !== "JobRun" && !(type === undefined && named !== null)) return undefined;
  const place: Record<string, string> = {};
  const take = (key: keyof ChangedRunPlace, fromName: string | undefined, attribute: string) => {
    const value = fromName ?? attributes[attribute];
    if (value !== undefined && value !== "") place[key] = value;
  };
  take("project", named?.[1], "ProjectNumber");
  take("location", named?.[2], "Location");
  take("deliveryPipeline", named?.[3], "DeliveryPipelineId");
  take("release", named?.[4], "ReleaseId");
  take("rollout", named?.[5], "RolloutId");
  return place;
}

/** Whether a run at `place` could be under the List parent `parent` (wildcards and all). */
export function mayBeUnder(place: ChangedRunPlace, parent: string): boolean {
  const ids = parent.split("/").filter((_, i) => i % 2 === 1);
  const [project, location, deliveryPipeline, release, rollout] = ids;
  if (project === undefined || !sameProject(place.project, project)) return false;
  return (
    sameId(place.location, location) &&
    sameId(place.deliveryPipeline, deliveryPipeline) &&
    sameId(place.release, release) &&
    sameId(place.rollout, rollout)
  );
}

function sameId(told: string | undefined, watched: string | undefined): boolean {
  return told === undefined || watched === undefined || watched === WILDCARD || told === watched;
}

/**
 * A project is named by id (letters first) or by number; a number cannot be compared with an id, so
 * those may be the same project. Two of a kind must be equal.
 */
function sameProject(told: string | undefined, watched: string): boolean {
  if (told === undefined || told === watched) return true;
  return isProjectNumber(told) !== isProjectNumber(watched);
}

function isProjectNumber(id: string): boolean {
  return /^[0-9]+$/.test(id);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
