// @jobrun/emulator: an in-memory Cloud Deploy JobRun service with a live demo world. This entry uses
// no Node built-ins: it runs unchanged in Node, Workers and browsers. Node-only helpers (file loading,
// persistence) are in "@jobrun/emulator/node".

// The Clock type, the real clock and the largest page size are core's; re-exported for the options.
export { type Clock, MAX_PAGE_SIZE, systemClock } from "@jobrun/core";
export type { EmulatorChange, EmulatorListener } from "./change.js";
export { createManualClock, type ManualClock } from "./clock.js";
export { DEMO_PROJECT } from "./demo/catalog.js";
export type { DemoOptions } from "./demo/demo.js";
export {
  CHANGE_NOT_SAVED,
  type CommitHook,
  createEmulator,
  DEFAULT_PAGE_SIZE,
  DEFAULT_TERMINATE_DELAY_MS,
  type Emulator,
  type EmulatorOptions,
} from "./emulator.js";
export type { FilterNode } from "./filter/ast.js";
export { compileFilter, type JobRunPredicate } from "./filter/evaluate.js";
export { parseFilter } from "./filter/parser.js";
export { DEFAULT_ORDER_BY, type OrderSpec, parseOrderBy, type SortKey } from "./order-by.js";
export { type ChangeFeed, watchJobRuns } from "./watch.js";
