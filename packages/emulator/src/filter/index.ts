export type { Comparator, FieldRef, FilterNode, Literal } from "./ast.js";
export { compileFilter, type JobRunPredicate } from "./evaluate.js";
export { ABSENT, type FieldType, type ResolvedField, resolveField, timestampToMs } from "./fields.js";
export { parseFilter } from "./parser.js";
