// @jobrun/emulator: an in-memory Cloud Deploy JobRun service with a live demo world. This entry uses
// no Node built-ins: it runs unchanged in Node, Workers and browsers. Node-only helpers (file loading,
// persistence) are in "@jobrun/emulator/node".

export { type Clock, createManualClock, type ManualClock, systemClock } from "./clock.js";
export type { DemoOptions } from "./demo/demo.js";
export {
  createEmulator,
  DEFAULT_PAGE_SIZE,
  DEFAULT_TERMINATE_DELAY_MS,
  type Emulator,
  type EmulatorChange,
  type EmulatorListener,
  type EmulatorOptions,
  MAX_PAGE_SIZE,
} from "./emulator.js";
export type { FilterNode } from "./filter/ast.js";
export { compileFilter, type JobRunPredicate } from "./filter/evaluate.js";
export { parseFilter } from "./filter/parser.js";
export { DEFAULT_ORDER_BY, type OrderSpec, parseOrderBy, type SortKey } from "./order-by.js";
