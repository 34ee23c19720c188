// First import of every measuring process: the runtime settings the `jobrun` binary applies
// before React loads (production React), from dist; ui.mjs applies the heap growth after the first frame,
// as the binary does.
import { tuneRuntime } from "../dist/startup/runtime.js";

tuneRuntime();
