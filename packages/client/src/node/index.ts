// @jobrun/client/node: the auth providers that need Node (files, child processes, the environment).
// Everything of the main entry is re-exported, so Node code can import from here alone.

export * from "../index.js";
export { type EnvironmentAuthProvider, type EnvironmentOptions, fromEnvironment } from "./environment.js";
export { type GcloudOptions, gcloudCli } from "./gcloud.js";
