// First import of every measuring process: the runtime settings the `jobrun` binary applies
// before React loads (production React, heap growth), from dist.
import { tuneRuntime } from "../dist/startup/runtime.js";

tuneRuntime();
