// @jobrun/emulator/node: the Node-only helpers (files). The main entry stays free of Node built-ins.

export { loadJobRunsFile } from "./load-job-runs-file.js";
export { type Persistence, type PersistOptions, persistEmulator, writeAtomically } from "./persist.js";
