// Values of the Cloud Deploy API that more than one package needs.

/** The service's name, as Google's error details and resource types spell it (its `default_host`). */
export const SERVICE_NAME = "clouddeploy.googleapis.com";

/** Google's endpoint for Cloud Deploy. */
export const GOOGLE_ENDPOINT = `https://${SERVICE_NAME}`;

/** The largest page ListJobRuns returns; a larger pageSize is clamped to it (AIP-158). */
export const MAX_PAGE_SIZE = 1000;
